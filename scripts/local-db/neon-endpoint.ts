import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A development-only stand-in for Neon's edge: it speaks the two protocols that
 * @neondatabase/serverless uses (SQL over HTTP at /sql, the Postgres wire protocol tunnelled
 * through a WebSocket at /v1) and forwards both to a Postgres server on loopback.
 */
export interface NeonEndpointOptions {
  port?: number;
  /** How many Postgres sessions may be active at once. PGlite has one backend: use 1. */
  maxActiveSessions: number;
}

export interface NeonEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

const errorFields = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery',
  'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

const isolationLevels: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

const rawText = { getTypeParser: () => (value: string) => value };

interface SqlQuery {
  query: string;
  params?: unknown[];
}

class Semaphore {
  private waiting: Array<() => void> = [];
  constructor(private available: number) {}

  async acquire(): Promise<() => void> {
    if (this.available > 0) {
      this.available--;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.available++;
    };
  }
}

function assertLoopback(host: string): void {
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`the local Neon endpoint only forwards to loopback, not ${host}`);
  }
}

export async function startNeonEndpoint(options: NeonEndpointOptions): Promise<NeonEndpoint> {
  const sessions = new Semaphore(options.maxActiveSessions);
  const pools = new Map<string, pg.Pool>();
  const tunnels = new Set<Socket>();

  function poolFor(connectionString: string): pg.Pool {
    let pool = pools.get(connectionString);
    if (!pool) {
      const url = new URL(connectionString);
      assertLoopback(url.hostname);
      url.searchParams.delete('sslmode');
      url.searchParams.delete('application_name');
      pool = new pg.Pool({ connectionString: url.toString(), max: options.maxActiveSessions, types: rawText });
      pool.on('error', () => {});
      pools.set(connectionString, pool);
    }
    return pool;
  }

  async function runSql(request: IncomingMessage, body: string): Promise<unknown> {
    const connectionString = request.headers['neon-connection-string'];
    if (typeof connectionString !== 'string') throw new Error('missing Neon-Connection-String header');
    const payload = JSON.parse(body) as SqlQuery | { queries: SqlQuery[] };
    const release = await sessions.acquire();
    const client = await poolFor(connectionString).connect().catch((error: unknown) => {
      release();
      throw error;
    });
    let broken = false;
    try {
      if (!('queries' in payload)) return toNeonResult(await execute(client, payload));
      await client.query(beginStatement(request));
      try {
        const results = [];
        for (const query of payload.queries) results.push(toNeonResult(await execute(client, query)));
        await client.query('COMMIT');
        return { results };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      }
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) broken = true;
      throw error;
    } finally {
      client.release(broken);
      release();
    }
  }

  const server = createServer((request, response) => {
    if (request.method !== 'POST' || !request.url?.startsWith('/sql')) {
      response.writeHead(404).end('not found');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      runSql(request, Buffer.concat(chunks).toString('utf8')).then(
        (result) => sendJson(response, 200, result),
        (error: unknown) => {
          if (error instanceof pg.DatabaseError) {
            const fields = Object.fromEntries(errorFields.map((field) => [field, error[field]]));
            sendJson(response, 400, { message: error.message, ...fields });
          } else {
            response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
          }
        },
      );
    });
  });

  const webSockets = new WebSocketServer({ server, path: '/v1' });
  webSockets.on('connection', (webSocket, request) => {
    const address = new URL(request.url ?? '', 'http://localhost').searchParams.get('address') ?? '';
    const separator = address.lastIndexOf(':');
    const host = address.slice(0, separator);
    try {
      assertLoopback(host);
    } catch {
      webSocket.close(1008, 'loopback only');
      return;
    }
    void tunnel(webSocket, host, Number(address.slice(separator + 1)));
  });

  async function tunnel(webSocket: WebSocket, host: string, port: number): Promise<void> {
    const upstream: { socket?: Socket; pending: Buffer[]; closed: boolean } = { pending: [], closed: false };
    const watcher = new TerminateWatcher();
    webSocket.on('message', (data: Buffer) => {
      if (upstream.socket) upstream.socket.write(data);
      else upstream.pending.push(data);
      if (watcher.sawTerminate(data)) upstream.socket?.end();
    });
    const release = await sessions.acquire();
    const finish = () => {
      if (upstream.closed) return;
      upstream.closed = true;
      release();
      upstream.socket?.destroy();
      if (webSocket.readyState === webSocket.OPEN) webSocket.close();
    };
    webSocket.on('close', finish);
    webSocket.on('error', finish);
    if (webSocket.readyState !== webSocket.OPEN) return finish();
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    upstream.socket = socket;
    tunnels.add(socket);
    socket.setNoDelay(true);
    socket.on('data', (data) => webSocket.send(data));
    socket.on('close', () => {
      tunnels.delete(socket);
      finish();
    });
    socket.on('error', finish);
    for (const data of upstream.pending.splice(0)) socket.write(data);
    if (watcher.terminated) socket.end();
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const socket of tunnels) socket.destroy();
      for (const client of webSockets.clients) client.terminate();
      webSockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((pool) => pool.end()));
    },
  };
}

function beginStatement(request: IncomingMessage): string {
  const isolation = isolationLevels[String(request.headers['neon-batch-isolation-level'] ?? '')];
  const readOnly = request.headers['neon-batch-read-only'] === 'true';
  const deferrable = request.headers['neon-batch-deferrable'] === 'true';
  return ['BEGIN', isolation && `ISOLATION LEVEL ${isolation}`, readOnly && 'READ ONLY', deferrable && 'DEFERRABLE']
    .filter(Boolean)
    .join(' ');
}

async function execute(client: pg.PoolClient, { query, params = [] }: SqlQuery): Promise<pg.QueryArrayResult> {
  return client.query({ text: query, values: params, rowMode: 'array' });
}

function toNeonResult(result: pg.QueryArrayResult) {
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields,
    rowAsArray: true,
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Follows the client's side of the wire protocol just far enough to see Terminate ('X'):
 * the Neon driver sends it but leaves its WebSocket open, so the tunnel must close itself.
 */
class TerminateWatcher {
  terminated = false;
  private buffered = Buffer.alloc(0);
  private startupDone = false;

  sawTerminate(data: Buffer): boolean {
    this.buffered = Buffer.concat([this.buffered, data]);
    for (;;) {
      if (!this.startupDone) {
        if (this.buffered.length < 8) break;
        const length = this.buffered.readInt32BE(0);
        if (this.buffered.length < length) break;
        const code = this.buffered.readInt32BE(4);
        this.buffered = this.buffered.subarray(length);
        if (code === 196608) this.startupDone = true;
        continue;
      }
      if (this.buffered.length < 5) break;
      const length = this.buffered.readInt32BE(1) + 1;
      if (this.buffered.length < length) break;
      if (this.buffered[0] === 0x58) this.terminated = true;
      this.buffered = this.buffered.subarray(length);
    }
    return this.terminated;
  }
}
