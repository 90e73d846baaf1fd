import { serveOnNode } from '../../src/node.js';

/** The API on Node in a process of its own, so the load generator does not share its event loop. */
const bindings = JSON.parse(process.env.BENCH_BINDINGS ?? '{}') as Record<string, unknown>;
const server = serveOnNode(bindings, 0);
server.on('listening', () => process.send?.({ port: (server.address() as { port: number }).port }));
