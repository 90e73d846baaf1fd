import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeOutboundTransport, type ResolveAll } from '../../src/net/node-outbound-transport.js';
import { guardedFetch, OutboundRefusedError, useOutboundTransport, type OutboundPolicy } from '../../src/net/outbound-url.js';

/**
 * The Node entry's transport, in Node: it checks every address a name resolves to and connects
 * to the checked one. Resolvers here are stand-ins that answer loopback (the only place tests
 * may reach) or private addresses that are never connected to.
 */

const loopbackAllowed: OutboundPolicy = { allowedPorts: [], allowLoopback: true };
const production: OutboundPolicy = { allowedPorts: [], allowLoopback: false };

let server: Server;
let port: number;
const seen: Array<{ host: string | undefined; path: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ host: request.headers.host, path: request.url });
    if (request.url === '/redirect') response.writeHead(302, { location: '/keys' }).end();
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const answering = (...addresses: string[]): ResolveAll => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
/** One GET through a fresh transport; without a resolver, the system's (node:dns). */
const get = (policy: OutboundPolicy, url: string, resolveAll?: ResolveAll) =>
  nodeOutboundTransport(resolveAll)(new URL(url), { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(3_000) }, policy);

describe('the Node outbound transport', () => {
  it('connects to the address it checked, keeping the name for the request', async () => {
    const before = seen.length;
    const response = await get(loopbackAllowed, `http://keys.provider.example:${port}/keys`, answering('127.0.0.1'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ keys: [] });
    expect(seen.slice(before)).toEqual([{ host: `keys.provider.example:${port}`, path: '/keys' }]);
  });

  it('refuses a name when any address it resolves to is refused, and connects to none', async () => {
    const before = seen.length;
    await expect(get(loopbackAllowed, `http://keys.provider.example:${port}/keys`, answering('127.0.0.1', '10.0.0.7'))).rejects.toThrow(
      new OutboundRefusedError('keys.provider.example resolves to a refused address: 10.0.0.7 is a private address'),
    );
    await expect(get(loopbackAllowed, `http://keys.provider.example:${port}/keys`, answering('::ffff:169.254.169.254'))).rejects.toThrow(/embeds 169\.254\.169\.254/);
    // A public-looking name that resolves to loopback (DNS rebinding, or a record like 127.0.0.1.nip.io).
    await expect(get(production, `http://keys.provider.example:${port}/keys`, answering('127.0.0.1'))).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    expect(seen.length).toBe(before);
  });

  it('asks the system resolver by default: localhost resolves to loopback', async () => {
    const before = seen.length;
    await expect(get(production, `http://localhost:${port}/keys`)).rejects.toThrow(/is a loopback address/);
    expect(seen.length).toBe(before);
    expect((await get(loopbackAllowed, `http://localhost:${port}/keys`)).status).toBe(200);
  });

  it('serves guardedFetch on Node: checked, not redirected', async () => {
    useOutboundTransport(nodeOutboundTransport());
    expect(await (await guardedFetch(`http://localhost:${port}/keys`, loopbackAllowed)).json()).toEqual({ keys: [] });
    const before = seen.length;
    await expect(guardedFetch(`http://localhost:${port}/redirect`, loopbackAllowed)).rejects.toThrow(/redirect \(302\)/);
    expect(seen.slice(before).map((request) => request.path)).toEqual(['/redirect']);
  });
});
