import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { AppConfig } from '../env.js';
import type { HttpDatabase } from './client.js';
import { rolledBackByServer, transientFailureOf, TransactionInterrupted } from './database-errors.js';
import type { Transport, WebSocketTransaction } from './tenant-runner.js';

/** Times stay text, as the Neon driver hands them over, so both hosts answer alike. */
const textTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ([1082, 1114, 1184].includes(oid)) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * A pooled connection for one transaction, given up after `timeoutMs`. pg-pool removes its own
 * 'error' listener from a client while it is checked out, so without one a connection the server
 * closes mid-transaction (a terminated backend, a restart) is an unhandled 'error' event that
 * ends the process (nodePostgresPool gives every connection one for life; the one here marks the
 * connection broken). `markCommitting` is called just before COMMIT: an interruption before it
 * certainly left nothing behind.
 */
async function inPooledConnection<T>(
  pool: pg.Pool,
  timeoutMs: number,
  work: (client: pg.PoolClient, markCommitting: () => void) => Promise<T>,
): Promise<T> {
  const startedAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connecting = pool.connect();
  const client = await Promise.race([connecting, new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  })]).catch((error: unknown) => {
    clearTimeout(timer);
    const failure = transientFailureOf(error);
    throw failure ? new TransactionInterrupted(failure, false, { cause: error }) : error;
  });
  clearTimeout(timer);
  if (!client) {
    // The pool may still hand over a connection: give it back when it does.
    connecting.then((late) => late.release(), () => {});
    throw new TransactionInterrupted('timed_out', false, { message: `no database connection within ${timeoutMs} ms` });
  }

  let broken = false;
  let expired = false;
  let committing = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  // Ending a client with a query in flight destroys its socket: the query fails at once, and the
  // server rolls back whatever has not committed.
  timer = setTimeout(() => {
    expired = true;
    broken = true;
    void (client as unknown as pg.Client).end().catch(() => {});
  }, Math.max(1, timeoutMs - (Date.now() - startedAt)));
  try {
    return await work(client, () => (committing = true));
  } catch (error) {
    if (expired) throw new TransactionInterrupted('timed_out', committing, { cause: error, message: `the database did not answer within ${timeoutMs} ms` });
    const failure = transientFailureOf(error);
    // The connection itself broke (not a statement the server refused, after which it is fine): never reuse it.
    if (failure && !rolledBackByServer(error)) broken = true;
    if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
    if (failure) throw new TransactionInterrupted(failure, committing && !rolledBackByServer(error), { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/**
 * For the Node entry on a Postgres server it reaches directly (self-hosting, benchmarks): the
 * same statements as on Workers, in one transaction on a pooled connection, sent one after
 * another (on loopback or a LAN a round trip costs little; the Workers path batches them).
 */
export function nodePostgresTransport(pool: pg.Pool): (config: AppConfig) => Transport {
  return () => ({
    run(build, timeoutMs) {
      return inPooledConnection(pool, timeoutMs, async (client, markCommitting) => {
        await client.query('BEGIN');
        const db = drizzle({ client }) as unknown as HttpDatabase;
        const results: unknown[] = [];
        for (const statement of build(db)) results.push(await statement);
        markCommitting();
        await client.query('COMMIT');
        return results;
      });
    },
    transaction(work, timeoutMs) {
      // Drizzle would check a client out of the pool itself, without the listener: hand it ours.
      return inPooledConnection(pool, timeoutMs, (client, markCommitting) =>
        drizzle({ client }).transaction(async (tx) => {
          const result = await work(tx as unknown as WebSocketTransaction);
          markCommitting();
          return result;
        }),
      );
    },
  });
}

export interface NodePostgresPoolOptions {
  max?: number;
  /** Gives up opening a connection after this long (the longest request bound). */
  connectionTimeoutMillis?: number;
  /** Connections are closed after this many transactions (1 where a socket must not outlive its request, as in workerd). */
  maxUses?: number;
}

export function nodePostgresPool(connectionString: string, options: NodePostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis,
    maxUses: options.maxUses,
    types: textTypes,
  });
  // An idle connection the server closes: the pool drops it; this keeps the event from being unhandled.
  pool.on('error', () => {});
  // And a listener on every connection for life: pg-pool hands a new connection out while its
  // first bytes are still being parsed, so a FATAL message in the same packet (a backend
  // terminated as it started) is emitted before inPooledConnection can listen, and unheard it
  // ends the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
