import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Longer than the API waits for a key set (3 s), shorter than jose's own default (5 s). */
const slowMilliseconds = 4_000;

/**
 * Runs beside the tests (in Node): serves key sets that tests publish, as a unit's identity
 * provider would. PUT /jwks/<name> publishes, GET /jwks/<name> serves and counts the fetch.
 * The same key set, served badly: GET /redirect/<name> redirects to /jwks/<name>;
 * /slow/<name> answers after 4 s, /slow-body/<name> sends the headers at once and the body
 * after 4 s; /padded/<name>?bytes=N pads the key set to N bytes, sent in chunks without a
 * Content-Length. Each of these counts as a fetch of <name> when it is requested.
 * Discovery: GET /issuer/<name>/.well-known/openid-configuration serves the document PUT at
 * /discovery/<name>, or else one naming the issuer <host>/issuer/<name>, the key set at
 * /jwks/<name> and the algorithms of its keys. DELETE /jwks/<name> withdraws a key set.
 */
export async function startJwksHost(): Promise<{ url: string; close(): Promise<void> }> {
  const published = new Map<string, { body: string; fetches: number }>();
  const discoveryDocuments = new Map<string, string>();
  const later = (response: ServerResponse, send: () => void) => {
    const timer = setTimeout(send, slowMilliseconds);
    response.on('close', () => clearTimeout(timer));
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://jwks.host');
    const [, kind = '', name = '', suffix] = url.pathname.split('/');
    if (request.method === 'PUT') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (kind === 'discovery') discoveryDocuments.set(name, body);
        else published.set(name, { body, fetches: published.get(name)?.fetches ?? 0 });
        response.writeHead(204).end();
      });
      return;
    }
    if (request.method === 'DELETE') {
      published.delete(name);
      response.writeHead(204).end();
      return;
    }
    const entry = published.get(name);
    if (kind === 'issuer' && url.pathname === `/issuer/${name}/.well-known/openid-configuration`) {
      const host = `http://${request.headers.host}`;
      const document =
        discoveryDocuments.get(name) ??
        (entry &&
          JSON.stringify({
            issuer: `${host}/issuer/${name}`,
            jwks_uri: `${host}/jwks/${name}`,
            id_token_signing_alg_values_supported: [...new Set((JSON.parse(entry.body) as { keys: Array<{ alg?: string }> }).keys.map((key) => key.alg).filter(Boolean))],
          }));
      if (!document) response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(document);
      return;
    }
    if (suffix === 'fetches') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ fetches: entry?.fetches ?? 0 }));
      return;
    }
    if (!entry) {
      response.writeHead(404).end();
      return;
    }
    entry.fetches += 1;
    const json = { 'content-type': 'application/json' };
    switch (kind) {
      case 'jwks':
        response.writeHead(200, json).end(entry.body);
        return;
      case 'redirect':
        // Counted above as a fetch of the redirect; following it would count a second one.
        entry.fetches -= 1;
        response.writeHead(302, { location: `/jwks/${name}` }).end();
        return;
      case 'slow':
        later(response, () => response.writeHead(200, json).end(entry.body));
        return;
      case 'slow-body':
        response.writeHead(200, json);
        response.write(entry.body.slice(0, 1));
        later(response, () => response.end(entry.body.slice(1)));
        return;
      case 'padded': {
        const keys = (JSON.parse(entry.body) as { keys: unknown[] }).keys;
        const unpadded = JSON.stringify({ keys, padding: '' });
        const body = JSON.stringify({ keys, padding: 'x'.repeat(Math.max(0, Number(url.searchParams.get('bytes')) - unpadded.length)) });
        response.writeHead(200, json);
        for (let offset = 0; offset < body.length; offset += 8192) response.write(body.slice(offset, offset + 8192));
        response.end();
        return;
      }
      default:
        response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
