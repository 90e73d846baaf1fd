import { neon, neonConfig, Pool, type Client, type PoolClient } from '@neondatabase/serverless';
import { drizzle as drizzleHttp, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { drizzle as drizzleWebSocket, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { AppConfig } from '../env.js';
import { TransactionInterrupted } from './database-errors.js';

/**
 * Without Drizzle's relational schema: no query uses db.query, and building it costs about
 * 0.4 ms of CPU per instance, which is per request here.
 */
export type HttpDatabase = NeonHttpDatabase;
export type WebSocketDatabase = NeonDatabase;

/**
 * Points the driver at the development endpoint when one is configured; in production the
 * driver's defaults reach Neon's edge.
 */
export function configureDriver(config: AppConfig): void {
  const endpoint = config.NEON_LOCAL_ENDPOINT;
  if (!endpoint) return;
  const { host } = new URL(endpoint);
  neonConfig.fetchEndpoint = `http://${host}/sql`;
  neonConfig.wsProxy = (databaseHost, databasePort) => `${host}/v1?address=${databaseHost}:${databasePort}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/**
 * One HTTP round trip per query or batch; no connection to open or close. With `signal`, every
 * request this database makes is aborted when it fires.
 */
export function openHttpDatabase(config: AppConfig, signal?: AbortSignal): HttpDatabase {
  configureDriver(config);
  return drizzleHttp({ client: neon(config.DATABASE_URL, { fetchOptions: signal ? { signal } : undefined }) });
}

/**
 * A WebSocket connection for the rare transaction that must branch on what it read.
 * Workers cannot keep sockets between requests: the pool lives for one unit of work. With
 * `timeoutMs`, connecting and each query give up after that long, and the connection is closed
 * when the whole work takes longer (the work then rejects with a timed-out TransactionInterrupted).
 */
export async function withWebSocketDatabase<T>(
  config: AppConfig,
  work: (db: WebSocketDatabase) => Promise<T>,
  timeoutMs?: number,
): Promise<T> {
  configureDriver(config);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 1, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  const connected: Client[] = [];
  pool.on('error', () => {});
  // pg-pool drops its own 'error' listener while a client is checked out: a connection the server
  // closes then (a terminated backend) would be an unhandled 'error' event.
  pool.on('connect', (client: PoolClient) => {
    client.on('error', () => {});
    connected.push(client as unknown as Client);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expired = false;
  const deadline = new Promise<never>((_, reject) => {
    if (timeoutMs === undefined) return;
    timer = setTimeout(() => {
      expired = true;
      // Ending a client with a query in flight closes its socket: the server rolls back what has not committed.
      for (const client of connected) void client.end().catch(() => {});
      reject(new TransactionInterrupted('timed_out', true, { message: `the database did not answer within ${timeoutMs} ms` }));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(drizzleWebSocket({ client: pool })), deadline]);
  } finally {
    clearTimeout(timer);
    // After a timeout the pool may still wait for its closed client: do not wait with it.
    if (expired) void pool.end().catch(() => {});
    else await pool.end();
  }
}
