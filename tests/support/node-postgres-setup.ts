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
 * keeps one pool for the process. Transactions are counted, so a test can tell that requests
 * really took this path (tests/http/database-failures.test.ts).
 */
const counted = globalThis as { nodePostgresTransactions?: number };
counted.nodePostgresTransactions = 0;
useTransport((config) => {
  const transport = nodePostgresTransport(nodePostgresPool(config.DATABASE_URL, { max: 1, maxUses: 1 }))(config);
  return {
    run(build, timeoutMs) {
      counted.nodePostgresTransactions! += 1;
      return transport.run(build, timeoutMs);
    },
    transaction(work, timeoutMs) {
      counted.nodePostgresTransactions! += 1;
      return transport.transaction(work, timeoutMs);
    },
  };
});
