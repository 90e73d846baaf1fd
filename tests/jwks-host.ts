import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Runs beside the tests (in Node): serves key sets that tests publish, as a unit's identity
 * provider would. PUT /jwks/<name> publishes, GET /jwks/<name> serves and counts the fetch.
 */
export async function startJwksHost(): Promise<{ url: string; close(): Promise<void> }> {
  const published = new Map<string, { body: string; fetches: number }>();
  const server: Server = createServer((request, response) => {
    const name = (request.url ?? '').replace(/^\/jwks\//, '').replace(/\/fetches$/, '');
    if (request.method === 'PUT') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        published.set(name, { body: Buffer.concat(chunks).toString('utf8'), fetches: published.get(name)?.fetches ?? 0 });
        response.writeHead(204).end();
      });
      return;
    }
    const entry = published.get(name);
    if (request.url?.endsWith('/fetches')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ fetches: entry?.fetches ?? 0 }));
      return;
    }
    if (!entry) {
      response.writeHead(404).end();
      return;
    }
    entry.fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(entry.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
