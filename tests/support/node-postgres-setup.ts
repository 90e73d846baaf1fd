import { nodePostgresPool, nodePostgresTransport } from '../../src/db/node-postgres-transport.js';
import { useTransport } from '../../src/db/tenant-runner.js';

/**
 * The `workers-pg` project (vitest.config.ts): the app reaches Postgres as the Node entry does
 * with DATABASE_DRIVER=pg, through the node-postgres transport, straight to the server at the
 * app's DATABASE_URL, so the idempotency, error-mapping and tenancy tests hold for both
 * transports. The test files and `exports.default.fetch` share this module state.
 *
 * workerd refuses one request's socket in another request, so each runner (one request) gets a
 * pool of its own whose connection closes after its transaction (maxUses 1); the Node entry
 * keeps one pool for the process.
 */
useTransport((config) => nodePostgresTransport(nodePostgresPool(config.DATABASE_URL, { max: 1, maxUses: 1 }))(config));
