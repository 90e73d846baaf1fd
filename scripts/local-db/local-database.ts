import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrateDatabase } from './migrate.js';
import { startNeonEndpoint, type NeonEndpoint } from './neon-endpoint.js';
import { seedDemoData } from './seed.js';

export interface LocalDatabaseOptions {
  /** A Postgres server to use (its owner's connection string); without it, embedded PGlite. */
  serverUrl?: string;
  /** Where PGlite keeps its files; without it, in memory. */
  dataDir?: string;
  endpointPort?: number;
  seed: boolean;
}

export interface LocalDatabase {
  kind: 'embedded' | 'server';
  /** The owner's connection string: migrations and test fixtures. */
  ownerUrl: string;
  /** What the API connects with: a login role that can only become the app role. */
  appUrl: string;
  endpoint: NeonEndpoint;
  close(): Promise<void>;
}

export const appLoginRole = 'sextortion_login';

/** Brings up Postgres (embedded or a server), migrated, with the Neon endpoint in front. */
export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const embedded = options.serverUrl ? undefined : await startEmbeddedPostgres(options.dataDir);
  const ownerUrl = options.serverUrl ?? embedded!.ownerUrl;
  try {
    await migrateDatabase(ownerUrl);
    if (options.seed) await seedDemoData(ownerUrl);
    const appUrl = await ensureAppLogin(ownerUrl);
    const endpoint = await startNeonEndpoint({
      port: options.endpointPort,
      maxActiveSessions: embedded ? 1 : 16,
    });
    return {
      kind: embedded ? 'embedded' : 'server',
      ownerUrl,
      appUrl,
      endpoint,
      async close() {
        await endpoint.close();
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

/**
 * A login role with no privileges of its own (NOINHERIT) that may switch to the app role,
 * as the deployment guide sets up on Neon. Roles are cluster-wide: it may already exist.
 */
async function ensureAppLogin(ownerUrl: string): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${appLoginRole}') THEN
        CREATE ROLE ${appLoginRole} LOGIN NOINHERIT;
      END IF;
    END $$`);
    await client.query(`ALTER ROLE ${appLoginRole} LOGIN NOINHERIT NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`);
    await client.query(`GRANT sextortion_app TO ${appLoginRole}`);
    const database = new URL(ownerUrl).pathname.slice(1);
    await client.query(`GRANT CONNECT ON DATABASE "${database}" TO ${appLoginRole}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = appLoginRole;
  url.password = password;
  return url.toString();
}
