import { serveOnNode } from '../../src/node.js';

/** The API on Node in a process of its own, so the load generator does not share its event loop. */
const bindings = JSON.parse(process.env.BENCH_BINDINGS ?? '{}') as Record<string, unknown>;
const server = serveOnNode(bindings, 0);
server.on('listening', () => process.send?.({ port: (server.address() as { port: number }).port }));
// Stopped by the bench: exit, so a CPU profile (BENCH_CPU_PROFILE) is written.
process.on('SIGTERM', () => process.exit(0));

/** The soak asks for the heap after a full collection: growth that survives it is retained, not just unswept. */
process.on('message', (message) => {
  if (message !== 'memory') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ memory: process.memoryUsage() });
});
