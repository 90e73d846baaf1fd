import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startBenchEnvironment, type BenchEnvironment } from '../../scripts/bench/setup.js';
import { serveOnNode } from '../../src/node.js';

export interface NodeEntry {
  /** The embedded database behind the local Neon endpoint, and tokens its API trusts. */
  env: BenchEnvironment;
  bindings: Record<string, unknown>;
  /** http://127.0.0.1:<port> */
  base: string;
  close(): Promise<void>;
}

/**
 * The Node entry (src/node.ts) on a free loopback port over an embedded database of its own, as
 * the Node-side tests, the typed client's and the browser runs use it. `tag` names its database
 * client (the local endpoint counts round trips per tag).
 */
export async function startNodeEntry(tag: string, extraBindings: Record<string, unknown> = {}): Promise<NodeEntry> {
  const env = await startBenchEnvironment({ serverUrl: undefined });
  const bindings = { ...env.bindings(tag), ...extraBindings };
  const server = serveOnNode(bindings, 0);
  await once(server, 'listening');
  return {
    env,
    bindings,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.close();
      await env.close();
    },
  };
}
