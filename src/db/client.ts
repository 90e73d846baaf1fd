import { neon, neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle as drizzleHttp, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { drizzle as drizzleWebSocket, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { AppConfig } from '../env.js';
import * as schema from './schema.js';

export type HttpDatabase = NeonHttpDatabase<typeof schema>;
export type WebSocketDatabase = NeonDatabase<typeof schema>;

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

/** One HTTP round trip per query or batch; no connection to open or close. */
export function openHttpDatabase(config: AppConfig): HttpDatabase {
  configureDriver(config);
  return drizzleHttp({ client: neon(config.DATABASE_URL), schema });
}

/**
 * A WebSocket connection for the rare transaction that must branch on what it read.
 * Workers cannot keep sockets between requests: the pool lives for one unit of work.
 */
export async function withWebSocketDatabase<T>(
  config: AppConfig,
  work: (db: WebSocketDatabase) => Promise<T>,
): Promise<T> {
  configureDriver(config);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
  pool.on('error', () => {});
  try {
    return await work(drizzleWebSocket({ client: pool, schema }));
  } finally {
    await pool.end();
  }
}
