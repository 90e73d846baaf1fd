import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { AppConfig } from '../env.js';
import type { HttpDatabase } from './client.js';
import * as schema from './schema.js';
import type { Transport, WebSocketTransaction } from './tenant-runner.js';

/** Times stay text, as the Neon driver hands them over, so both hosts answer alike. */
const textTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ([1082, 1114, 1184].includes(oid)) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

/** The SQLSTATE where the runner looks for it: drizzle wraps driver errors in its own. */
function unwrapped(error: unknown): unknown {
  return error instanceof Error && error.name === 'DrizzleQueryError' && error.cause ? error.cause : error;
}

/**
 * For the Node entry on a Postgres server it reaches directly (self-hosting, benchmarks): the
 * same statements as on Workers, in one transaction on a pooled connection, sent one after
 * another (on loopback or a LAN a round trip costs little; the Workers path batches them).
 */
export function nodePostgresTransport(pool: pg.Pool): (config: AppConfig) => Transport {
  return () => ({
    async run(build) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const db = drizzle({ client, schema }) as unknown as HttpDatabase;
        const results: unknown[] = [];
        try {
          for (const statement of build(db)) results.push(await statement);
          await client.query('COMMIT');
          return results;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => (broken = true));
          throw unwrapped(error);
        }
      } finally {
        client.release(broken);
      }
    },
    async transaction(work) {
      const db = drizzle({ client: pool, schema });
      try {
        return await db.transaction((tx) => work(tx as unknown as WebSocketTransaction));
      } catch (error) {
        throw unwrapped(error);
      }
    },
  });
}

export function nodePostgresPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, types: textTypes });
  pool.on('error', () => {});
  return pool;
}
