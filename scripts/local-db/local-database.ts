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
  /** Passed to the endpoint: added latency per HTTP round trip, by client tag (benchmarks). */
  roundTripDelay?: (tag: string | null) => number;
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

async function connectedClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // Unheard, a connection the server closes would end the process; sessions then fail and say so.
  client.on('error', (error) => console.error(`[local database] the endpoint's admin connection broke: ${error.message}`));
  await client.connect();
  return client;
}

/**
 * PGlite has one backend that every connection shares, always as its superuser. Before each
 * session the endpoint resets it and takes on the login the client asked for, so the embedded
 * database checks privileges as a server would.
 */
async function becomeLogin(admin: pg.Client, user: string): Promise<void> {
  // DISCARD ALL does not restore the session user in PGlite: name it every time.
  await admin.query('DISCARD ALL');
  await admin.query(`SET SESSION AUTHORIZATION ${pg.escapeIdentifier(user)}`);
}

/** Roles are cluster-wide: one login role per database, so runs on other databases never disturb it. */
function appLoginRoleFor(ownerUrl: string): string {
  const database = new URL(ownerUrl).pathname.slice(1);
  return `sextortion_login_${database.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/** Brings up Postgres (embedded or a server), migrated, with the Neon endpoint in front. */
export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const embedded = options.serverUrl ? undefined : await startEmbeddedPostgres(options.dataDir);
  const ownerUrl = options.serverUrl ?? embedded!.ownerUrl;
  try {
    await migrateDatabase(ownerUrl);
    if (options.seed) await seedDemoData(ownerUrl);
    const appUrl = await ensureAppLogin(ownerUrl);
    const admin = embedded ? await connectedClient(ownerUrl) : undefined;
    const endpoint = await startNeonEndpoint({
      port: options.endpointPort,
      maxActiveSessions: embedded ? 1 : 16,
      databasePorts: [Number(new URL(ownerUrl).port || 5432)],
      beginSession: admin && ((user) => becomeLogin(admin, user)),
      roundTripDelay: options.roundTripDelay,
    });
    return {
      kind: embedded ? 'embedded' : 'server',
      ownerUrl,
      appUrl,
      endpoint,
      async close() {
        await endpoint.close();
        await admin?.end();
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
  const appLoginRole = appLoginRoleFor(ownerUrl);
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
