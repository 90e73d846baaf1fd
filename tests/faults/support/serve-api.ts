import type { AddressInfo } from 'node:net';
import { startLocalDatabase } from '../../../scripts/local-db/local-database.js';
import { serveOnNode } from '../../../src/node.js';

/**
 * The API as the fault suite runs it, in a process of its own (so "the process stays up" is a
 * fact the suite can check): migrate and seed through startLocalDatabase, the local Neon
 * endpoint, and the Node entry, with the Neon driver (through the endpoint) or node-postgres
 * (DATABASE_DRIVER=pg). Reports its addresses as one JSON line on stdout.
 */
interface ServeOptions {
  /** The owner's URL, through the suite's freezable proxy. */
  serverUrl: string;
  driver: 'neon' | 'pg';
  bindings: Record<string, string>;
}

const options = JSON.parse(process.env.FAULT_API_OPTIONS ?? '{}') as ServeOptions;
const database = await startLocalDatabase({ serverUrl: options.serverUrl, seed: true });
const server = serveOnNode(
  {
    ...options.bindings,
    DATABASE_URL: database.appUrl,
    NEON_LOCAL_ENDPOINT: database.endpoint.url,
    ...(options.driver === 'pg' ? { DATABASE_DRIVER: 'pg' } : {}),
  },
  0,
);
server.on('listening', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, loginRole: decodeURIComponent(new URL(database.appUrl).username) })}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  void database.close().finally(() => process.exit(0));
});
