import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** Longer than the API waits for an answer (3 s). */
const slowMilliseconds = 4_000;
const largeBodyBytes = 200 * 1024;

export interface ReceivedDelivery {
  path: string;
  webhookId: string | null;
  contentType: string | null;
  body: string;
  /** Null when the standardwebhooks library verified the delivery, else why it refused it. */
  verificationError: string | null;
  /** When the whole body had arrived, in epoch milliseconds of this process's clock (benchmarks). */
  receivedAtMs: number;
}

interface Receiver {
  secret: string;
  /** The receiver's clock: the library checks the timestamp against it (5 minutes either way). */
  now: Date;
  deliveries: ReceivedDelivery[];
}

/**
 * The library reads Date.now for its timestamp tolerance; tests send fixed times, so the
 * receiver's clock is the one the test registered. verify is synchronous: nothing else runs
 * while Date.now reads that clock.
 */
function verifyAt(receiver: Receiver, body: string, headers: Record<string, string>): string | null {
  const realNow = Date.now;
  Date.now = () => receiver.now.getTime();
  try {
    new Webhook(receiver.secret).verify(body, headers, { jsonParse: false });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    Date.now = realNow;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(response: ServerResponse, behaviour: string, name: string): void {
  switch (behaviour) {
    case 'ok':
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    case 'fail':
      response.writeHead(500, { 'content-type': 'text/plain' }).end('receiver broke');
      return;
    case 'redirect':
      response.writeHead(302, { location: `/hooks/${name}/ok` }).end();
      return;
    case 'slow': {
      const timer = setTimeout(() => response.writeHead(200).end('late'), slowMilliseconds);
      response.on('close', () => clearTimeout(timer));
      return;
    }
    case 'large': {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(8192);
      for (let sent = 0; sent < largeBodyBytes; sent += chunk.length) response.write(chunk);
      response.end();
      return;
    }
    default:
      response.writeHead(404).end();
  }
}

/**
 * Runs beside the tests (in Node), as a subscriber's webhook endpoint would. PUT
 * /receivers/<name> with { secret, now } sets one up; POST /hooks/<name>/<behaviour> is a
 * delivery, verified with the standardwebhooks library and recorded, answered 401 when it does
 * not verify and otherwise as <behaviour> says: ok (200), fail (500), redirect (302 to
 * /hooks/<name>/ok), slow (200 after 4 s), large (200 with 200 KiB, no Content-Length).
 * GET /receivers/<name>/deliveries lists what arrived. PUT again changes the secret and clock
 * and keeps what arrived.
 */
export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const receivers = new Map<string, Receiver>();
  const listeners = new Map<string, { server: Server; port: number }>();
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://webhook.receiver');
      const [, kind = '', name = '', rest = ''] = url.pathname.split('/');
      const body = await readBody(request);
      const receivedAtMs = Date.now();
      if (kind === 'receivers' && request.method === 'PUT') {
        const { secret, now } = JSON.parse(body) as { secret: string; now: string };
        receivers.set(name, { secret, now: new Date(now), deliveries: receivers.get(name)?.deliveries ?? [] });
        response.writeHead(204).end();
        return;
      }
      if (kind === 'listeners' && request.method === 'POST') {
        const answered = await controlListener(name, rest);
        response.writeHead(answered ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(answered ?? {}));
        return;
      }
      const receiver = receivers.get(name);
      if (!receiver) {
        response.writeHead(404).end();
        return;
      }
      if (kind === 'receivers' && rest === 'deliveries') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(receiver.deliveries));
        return;
      }
      if (kind !== 'hooks' || request.method !== 'POST') {
        response.writeHead(405).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)]));
      const verificationError = verifyAt(receiver, body, headers);
      receiver.deliveries.push({ path: url.pathname, webhookId: headers['webhook-id'] ?? null, contentType: headers['content-type'] ?? null, body, verificationError, receivedAtMs });
      if (verificationError) response.writeHead(401, { 'content-type': 'text/plain' }).end(verificationError);
      else answer(response, rest, name);
    })().catch(() => response.writeHead(500).end());
  };

  /**
   * A receiver's own port, to stop and start again as a subscriber's server goes down and comes
   * back: POST /listeners/<name>/start opens it (the same port each time), /stop closes it and
   * every connection, so deliveries meet a refused connection.
   */
  async function controlListener(name: string, action: string): Promise<{ url: string } | undefined> {
    const listener = listeners.get(name);
    if (action === 'stop' && listener) {
      listener.server.closeAllConnections();
      await new Promise<void>((resolve) => listener.server.close(() => resolve()));
      return { url: `http://127.0.0.1:${listener.port}` };
    }
    if (action !== 'start') return undefined;
    const server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(listener?.port ?? 0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    listeners.set(name, { server, port });
    return { url: `http://127.0.0.1:${port}` };
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const name of listeners.keys()) await controlListener(name, 'stop').catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
