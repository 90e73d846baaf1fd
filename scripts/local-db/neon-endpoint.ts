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
  /** How many Postgres sessions may be busy (in a statement or transaction) at once. PGlite has one backend: use 1. */
  maxActiveSessions: number;
  /** The only ports the WebSocket tunnel forwards to (the database's). */
  databasePorts: number[];
  /**
   * Runs before a session starts work, with the login user it asked for. The embedded
   * database serves every connection as its superuser on one shared backend, so this is where
   * it resets that backend and takes on the requested login (SET SESSION AUTHORIZATION).
   */
  beginSession?: (user: string) => Promise<void>;
  /**
   * Milliseconds to hold each HTTP round trip of a client (by its application_name), as if the
   * database were that far away: what an edge worker far from its database sees (benchmarks).
   */
  roundTripDelay?: (tag: string | null) => number;
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

/** How long a session waits for the database before failing loudly instead of hanging. */
const sessionWaitMilliseconds = 20_000;

class Semaphore {
  private waiting: Array<() => void> = [];
  constructor(private available: number) {}

  async acquire(): Promise<() => void> {
    if (this.available > 0) {
      this.available--;
    } else {
      await new Promise<void>((resolve, reject) => {
        const waiter = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.waiting = this.waiting.filter((entry) => entry !== waiter);
          reject(
            new Error(
              'the local database stayed busy for 20 s: on the embedded database one session runs at a time, so code that ' +
                'waits on a second query while its own transaction is open can never finish',
            ),
          );
        }, sessionWaitMilliseconds);
        this.waiting.push(waiter);
      });
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
    const url = new URL(connectionString);
    assertLoopback(url.hostname);
    url.searchParams.delete('sslmode');
    url.searchParams.delete('application_name');
    const key = url.toString();
    let pool = pools.get(key);
    if (!pool) {
      pool = new pg.Pool({ connectionString: key, max: options.maxActiveSessions, types: rawText });
      pool.on('error', () => {});
      // Every connection keeps a listener of its own for life. pg-pool removes its listener when it
      // hands a connection out, and a new connection is handed out while its first bytes are still
      // being parsed: a FATAL message in the same packet (a backend terminated as it started) is
      // emitted before the caller's own listener can be added, and unheard it ends the process.
      pool.on('connect', (client) => client.on('error', () => {}));
      pools.set(key, pool);
    }
    return pool;
  }

  /** Round trips per client application_name: what `GET /round-trips?tag=` reports (tests, benchmarks). */
  const roundTrips = new Map<string, { http: number; webSocket: number }>();
  function tally(tag: string | null | undefined, transport: 'http' | 'webSocket'): void {
    if (!tag) return;
    const counts = roundTrips.get(tag) ?? { http: 0, webSocket: 0 };
    counts[transport] += 1;
    roundTrips.set(tag, counts);
  }

  /**
   * One HTTP query or batch on a pooled connection. `clientGone` fires when the caller stops
   * waiting (its fetch timed out): the connection is closed then, so a transaction nobody will hear
   * about does not go on to commit, and its session is free for others.
   */
  async function runSql(request: IncomingMessage, body: string, clientGone: AbortSignal): Promise<unknown> {
    const connectionString = request.headers['neon-connection-string'];
    if (typeof connectionString !== 'string') throw new Error('missing Neon-Connection-String header');
    const payload = JSON.parse(body) as SqlQuery | { queries: SqlQuery[] };
    const tag = new URL(connectionString).searchParams.get('application_name');
    tally(tag, 'http');
    const delay = options.roundTripDelay?.(tag) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const release = await sessions.acquire();
    const client = await (async () => {
      if (clientGone.aborted) throw new Error('the client stopped waiting');
      await options.beginSession?.(decodeURIComponent(new URL(connectionString).username) || 'postgres');
      return poolFor(connectionString).connect();
    })().catch((error: unknown) => {
      release();
      throw error;
    });
    let broken = false;
    // A connection the server closes while it is checked out (a terminated backend) is not reused.
    const onError = () => {
      broken = true;
    };
    const onGone = () => {
      broken = true;
      void (client as unknown as pg.Client).end().catch(() => {});
    };
    client.on('error', onError);
    clientGone.addEventListener('abort', onGone);
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
      // A FATAL error (57P01 terminating connection, ...) comes with the server closing the connection.
      if (!(error instanceof pg.DatabaseError) || error.severity === 'FATAL' || error.severity === 'PANIC') broken = true;
      throw error;
    } finally {
      clientGone.removeEventListener('abort', onGone);
      client.removeListener('error', onError);
      client.release(broken);
      release();
    }
  }

  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url?.startsWith('/round-trips')) {
      const tag = new URL(request.url, 'http://localhost').searchParams.get('tag') ?? '';
      sendJson(response, 200, roundTrips.get(tag) ?? { http: 0, webSocket: 0 });
      return;
    }
    if (request.method !== 'POST' || !request.url?.startsWith('/sql')) {
      response.writeHead(404).end('not found');
      return;
    }
    const chunks: Buffer[] = [];
    const clientGone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) clientGone.abort();
    });
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      runSql(request, Buffer.concat(chunks).toString('utf8'), clientGone.signal).then(
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
  // The server's own errors are re-emitted here; unheard, one would end the process.
  webSockets.on('error', (error) => console.error(`[local Neon endpoint] ${error.message}`));
  webSockets.on('connection', (webSocket, request) => {
    const address = new URL(request.url ?? '', 'http://localhost').searchParams.get('address') ?? '';
    const separator = address.lastIndexOf(':');
    const host = address.slice(0, separator);
    const port = Number(address.slice(separator + 1));
    // A browser always sends Origin; the driver does not. No web page may reach the database.
    if (request.headers.origin !== undefined) {
      webSocket.close(1008, 'not for browsers');
      return;
    }
    try {
      assertLoopback(host);
    } catch {
      webSocket.close(1008, 'loopback only');
      return;
    }
    if (!options.databasePorts.includes(port)) {
      webSocket.close(1008, 'only the database port');
      return;
    }
    tunnel(webSocket, host, port);
  });

  /**
   * Forwards one WebSocket to Postgres. The tunnel holds a session only while Postgres works
   * for it: from a client message until ReadyForQuery reports idle (not in a transaction) with
   * every Query and Sync answered. An open but idle connection holds nothing, so with PGlite's
   * single backend other tunnels and HTTP queries can run between its transactions.
   */
  function tunnel(webSocket: WebSocket, host: string, port: number): void {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const fromClient = new WireReader(true);
    const fromServer = new WireReader(false);
    const queue: Buffer[] = [];
    let release: (() => void) | undefined;
    let unanswered = 0;
    let tag: string | undefined;
    let user = 'postgres';
    let flushing = false;
    let closed = false;
    tunnels.add(socket);
    socket.setNoDelay(true);

    const finish = () => {
      if (closed) return;
      closed = true;
      release?.();
      tunnels.delete(socket);
      socket.destroy();
      if (webSocket.readyState === webSocket.OPEN) webSocket.close();
    };

    const flush = async () => {
      if (flushing) return;
      flushing = true;
      while (queue.length > 0 && !closed) {
        const data = queue.shift()!;
        const messages = fromClient.read(data);
        const types = messages.map((message) => message.type);
        const startup = messages.find((message) => message.type === 'startup')?.parameters;
        if (startup) {
          tag ??= startup.application_name;
          user = startup.user ?? user;
        }
        if (!release) {
          const acquired = await sessions.acquire().catch((error: unknown) => {
            console.error(`[local Neon endpoint] WebSocket session refused: ${error instanceof Error ? error.message : String(error)}`);
            return undefined;
          });
          if (!acquired) {
            finish();
            break;
          }
          if (closed) {
            acquired();
            break;
          }
          release = acquired;
          try {
            await options.beginSession?.(user);
          } catch {
            finish();
            break;
          }
        }
        // A frame that waits for an answer: startup, a password, a simple query, or a Sync.
        if (types.some((type) => ['startup', 'p', 'Q', 'S'].includes(type))) tally(tag, 'webSocket');
        // The startup message, a simple Query and a Sync are each answered by one ReadyForQuery.
        unanswered += types.filter((type) => type === 'startup' || type === 'Q' || type === 'S').length;
        socket.write(data);
        // The Neon driver sends Terminate but leaves its WebSocket open: end the tunnel here.
        if (types.includes('X')) socket.end();
      }
      flushing = false;
    };

    webSocket.on('message', (data: Buffer) => {
      queue.push(data);
      void flush();
    });
    webSocket.on('close', finish);
    webSocket.on('error', finish);
    socket.on('data', (data) => {
      webSocket.send(data);
      for (const { type, status } of fromServer.read(data)) {
        if (type !== 'Z') continue;
        unanswered--;
        if (unanswered === 0 && status === 'I' && !fromClient.partial) {
          release?.();
          release = undefined;
        }
      }
    });
    socket.on('close', finish);
    socket.on('error', finish);
    if (webSocket.readyState !== webSocket.OPEN) finish();
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

interface WireMessage {
  type: string;
  status?: string;
  parameters?: Record<string, string>;
}

function startupParameters(body: Buffer): Record<string, string> {
  const parts = body.toString('utf8').split('\0');
  const parameters: Record<string, string> = {};
  for (let index = 0; index + 1 < parts.length && parts[index]; index += 2) parameters[parts[index]!] = parts[index + 1]!;
  return parameters;
}

/**
 * Splits one direction of the wire protocol into messages, just far enough to see their types
 * and ReadyForQuery's status. The client's first messages (startup, SSL request) have no type.
 */
class WireReader {
  private buffered = Buffer.alloc(0);
  constructor(private startupPhase: boolean) {}

  get partial(): boolean {
    return this.buffered.length > 0;
  }

  read(data: Buffer): WireMessage[] {
    this.buffered = Buffer.concat([this.buffered, data]);
    const messages: WireMessage[] = [];
    for (;;) {
      if (this.startupPhase) {
        if (this.buffered.length < 8) break;
        const length = this.buffered.readInt32BE(0);
        if (this.buffered.length < length) break;
        const isStartup = this.buffered.readInt32BE(4) === 196608;
        const parameters = isStartup ? startupParameters(this.buffered.subarray(8, length)) : undefined;
        this.buffered = this.buffered.subarray(length);
        messages.push({ type: isStartup ? 'startup' : 'request', parameters });
        if (isStartup) this.startupPhase = false;
        continue;
      }
      if (this.buffered.length < 5) break;
      const length = this.buffered.readInt32BE(1) + 1;
      if (this.buffered.length < length) break;
      const type = String.fromCharCode(this.buffered[0]!);
      messages.push(type === 'Z' ? { type, status: String.fromCharCode(this.buffered[5]!) } : { type });
      this.buffered = this.buffered.subarray(length);
    }
    return messages;
  }
}
