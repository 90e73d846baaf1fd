import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { AppConfig } from '../env.js';
import type { HttpDatabase } from './client.js';
import { rolledBackByServer, transientFailureOf, TransactionInterrupted } from './database-errors.js';
import type { Transport, WebSocketTransaction } from './tenant-runner.js';

/** Times stay text, as the Neon driver hands them over, so both hosts answer alike. */
const textTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ([1082, 1114, 1184].includes(oid)) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * A pooled connection for one transaction, given up after `timeoutMs`. pg-pool removes its own
 * 'error' listener from a client while it is checked out, so without one a connection the server
 * closes mid-transaction (a terminated backend, a restart) is an unhandled 'error' event that
 * ends the process (nodePostgresPool gives every connection one for life; the one here marks the
 * connection broken). `markCommitting` is called just before COMMIT: an interruption before it
 * certainly left nothing behind. `rollBackOnFailure`: after a failure the connection may still be
 * inside the transaction, so a ROLLBACK goes before it is reused (a pipelined batch never is: its
 * own COMMIT ended the transaction, or nothing was sent).
 */
async function inPooledConnection<T>(
  pool: pg.Pool,
  timeoutMs: number,
  rollBackOnFailure: boolean,
  work: (client: pg.PoolClient, markCommitting: () => void) => Promise<T>,
): Promise<T> {
  const startedAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connecting = pool.connect();
  const client = await Promise.race([connecting, new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  })]).catch((error: unknown) => {
    clearTimeout(timer);
    const failure = transientFailureOf(error);
    throw failure ? new TransactionInterrupted(failure, false, { cause: error }) : error;
  });
  clearTimeout(timer);
  if (!client) {
    // The pool may still hand over a connection: give it back when it does.
    connecting.then((late) => late.release(), () => {});
    throw new TransactionInterrupted('timed_out', false, { message: `no database connection within ${timeoutMs} ms` });
  }

  let broken = false;
  let expired = false;
  let committing = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  // Ending a client with a query in flight destroys its socket: the query fails at once, and the
  // server rolls back whatever has not committed.
  timer = setTimeout(() => {
    expired = true;
    broken = true;
    void (client as unknown as pg.Client).end().catch(() => {});
  }, Math.max(1, timeoutMs - (Date.now() - startedAt)));
  try {
    return await work(client, () => (committing = true));
  } catch (error) {
    if (expired) throw new TransactionInterrupted('timed_out', committing, { cause: error, message: `the database did not answer within ${timeoutMs} ms` });
    const failure = transientFailureOf(error);
    // The connection itself broke (not a statement the server refused, after which it is fine): never reuse it.
    if (failure && !rolledBackByServer(error)) broken = true;
    if (!broken && rollBackOnFailure) await client.query('ROLLBACK').catch(() => (broken = true));
    if (failure) throw new TransactionInterrupted(failure, committing && !rolledBackByServer(error), { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** A query Drizzle asked for, held until every statement of the batch has asked for its own. */
interface HeldQuery {
  config: unknown;
  values: unknown;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** What Drizzle talks to while a batch is built: it holds each query, in the order asked. */
function holdingClient(held: HeldQuery[]) {
  return {
    query: (config: unknown, values: unknown) => new Promise((resolve, reject) => held.push({ config, values, resolve, reject })),
  };
}

/** Drizzle asks for a statement's query a few microtasks after the statement is awaited: until every one has, or one failed first. */
async function untilEveryStatementAsked(statements: Promise<unknown>[], held: HeldQuery[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const statement of statements) statement.catch((error: unknown) => (failure ??= { error }));
  for (let turn = 0; held.length < statements.length; turn += 1) {
    if (failure) throw failure.error;
    if (turn > 1_000) throw new Error(`only ${held.length} of ${statements.length} statements asked for their query`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * What `submit` writes to the connection (pg writes each protocol message on its own), gathered
 * into one write: the server gets the whole transaction in one packet, not a message at a time.
 */
function inOneWrite<T>(client: pg.PoolClient, submit: () => T): T {
  const stream = (client as unknown as { connection: { stream: { write(data: Uint8Array): boolean; destroy(): void } } }).connection.stream;
  const write = stream.write;
  const gathered: Uint8Array[] = [];
  stream.write = (data: Uint8Array) => (gathered.push(data), true);
  try {
    return submit();
  } catch (error) {
    // Half a transaction is never sent: the connection is closed instead, and not reused.
    gathered.length = 0;
    stream.destroy();
    throw error;
  } finally {
    stream.write = write;
    if (gathered.length > 0) write.call(stream, Buffer.concat(gathered));
  }
}

/**
 * `BEGIN`, the statements and `COMMIT` written at once on a connection in pipeline mode (pg's
 * `pipeline`, each with its own Sync): one round trip, as through Neon's HTTP batch. A statement
 * the server refuses aborts the transaction, so the ones after it and the COMMIT fail or roll back;
 * the batch fails with the first refusal, with the transaction already ended.
 */
async function sendPipelined(client: pg.PoolClient, held: HeldQuery[]): Promise<void> {
  const { begin, sent, commit } = inOneWrite(client, () => ({
    begin: client.query('BEGIN'),
    sent: held.map((query) => (client.query as (config: unknown, values: unknown) => Promise<unknown>)(query.config, query.values)),
    commit: client.query('COMMIT'),
  }));
  const settled = await Promise.allSettled([begin, ...sent, commit]);
  const refused = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (refused) {
    for (const query of held) query.reject(refused.reason);
    throw refused.reason;
  }
  const committed = settled.at(-1) as PromiseFulfilledResult<pg.QueryResult>;
  if (committed.value.command !== 'COMMIT') throw new Error(`the transaction ended in ${committed.value.command}, not COMMIT`);
  held.forEach((query, position) => query.resolve((settled[position + 1] as PromiseFulfilledResult<unknown>).value));
}

/**
 * For the Node entry on a Postgres server it reaches directly (self-hosting, benchmarks): the
 * same statements as on Workers, in one transaction on a pooled connection. A batch (`run`) is
 * one round trip (sendPipelined); an interactive transaction sends its statements one after
 * another, as it must branch on what it read.
 */
export function nodePostgresTransport(pool: pg.Pool): (config: AppConfig) => Transport {
  return () => ({
    run(build, timeoutMs) {
      return inPooledConnection(pool, timeoutMs, false, async (client, markCommitting) => {
        const held: HeldQuery[] = [];
        const db = drizzle({ client: holdingClient(held) as unknown as pg.PoolClient }) as unknown as HttpDatabase;
        const statements = build(db).map((statement) => Promise.resolve(statement));
        await untilEveryStatementAsked(statements, held);
        // The COMMIT goes with the statements: from here on, an interruption may have committed.
        markCommitting();
        await sendPipelined(client, held);
        return Promise.all(statements);
      });
    },
    transaction(work, timeoutMs) {
      // Drizzle would check a client out of the pool itself, without the listener: hand it ours.
      return inPooledConnection(pool, timeoutMs, true, (client, markCommitting) =>
        drizzle({ client }).transaction(async (tx) => {
          const result = await work(tx as unknown as WebSocketTransaction);
          markCommitting();
          return result;
        }),
      );
    },
  });
}

export interface NodePostgresPoolOptions {
  max?: number;
  /** Gives up opening a connection after this long (the longest request bound). */
  connectionTimeoutMillis?: number;
  /** Connections are closed after this many transactions (1 where a socket must not outlive its request, as in workerd). */
  maxUses?: number;
}

export function nodePostgresPool(connectionString: string, options: NodePostgresPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis,
    maxUses: options.maxUses,
    types: textTypes,
    // Queries are written without waiting for the answers before them (sendPipelined).
    pipeline: true,
  } as pg.PoolConfig);
  // An idle connection the server closes: the pool drops it; this keeps the event from being unhandled.
  pool.on('error', () => {});
  // And a listener on every connection for life: pg-pool hands a new connection out while its
  // first bytes are still being parsed, so a FATAL message in the same packet (a backend
  // terminated as it started) is emitted before inPooledConnection can listen, and unheard it
  // ends the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
