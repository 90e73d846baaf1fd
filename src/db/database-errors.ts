import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * The one place that reads database errors, whichever driver raised them: Neon's HTTP and
 * WebSocket drivers and node-postgres name their errors differently, and Drizzle wraps what a
 * driver raises inside a transaction in a DrizzleQueryError (whose `name` stays "Error").
 */

/** The driver's own error: under Drizzle's wrapper, and under any error that only carries a `cause`. */
export function databaseErrorOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    if (!(current instanceof Error) || current instanceof TransactionInterrupted) return current;
    const unwrappable = current instanceof DrizzleQueryError || (typeof (current as { code?: unknown }).code !== 'string' && current.cause instanceof Error);
    if (!unwrappable || current.cause === undefined) return current;
    current = current.cause;
  }
  return current;
}

/** The SQLSTATE an error carries as `code` (both drivers put it there), under any wrapper. */
export function sqlStateOf(error: unknown): string | undefined {
  const inner = error instanceof TransactionInterrupted ? error.cause : databaseErrorOf(error);
  const code = (inner as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Why a transaction did not finish, when the cause lies with the database and not the request:
 * - `rolled_back`: Postgres gave up the transaction itself (serialization failure, deadlock, a lock
 *   not available); nothing of it stayed, so trying again at once is right.
 * - `connection_lost`: the connection broke or the server terminated it (a restart, a Neon compute
 *   suspending, an administrator); whether a COMMIT already in flight took effect is unknown.
 * - `timed_out`: the database did not answer within the request's bound (a statement timeout, or
 *   the client gave up waiting); likewise unknown for a COMMIT in flight.
 */
export type TransientFailure = 'rolled_back' | 'connection_lost' | 'timed_out';

/**
 * A transaction cut off by a transient failure. `mayHaveCommitted` is false only when the
 * transaction certainly left nothing behind: the server rolled it back, or it broke before its
 * COMMIT was sent.
 */
export class TransactionInterrupted extends Error {
  override readonly name = 'TransactionInterrupted';
  constructor(
    readonly failure: TransientFailure,
    readonly mayHaveCommitted: boolean,
    options: { cause?: unknown; message?: string } = {},
  ) {
    super(options.message ?? `the transaction was interrupted (${failure})`, { cause: options.cause });
  }
}

const rolledBackStates = new Set(['40001', '40P01', '55P03']);
const terminatedStates = new Set(['57P01', '57P02', '57P03']);
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'EAI_AGAIN']);

/** An aborted fetch: workerd rejects with a DOMException, which need not be an Error there. */
function isAbort(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * Whether the server itself answered the transaction with an error (a SQLSTATE other than a
 * broken connection's): Postgres then rolled it back, even if the error came at COMMIT.
 */
export function rolledBackByServer(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && !state.startsWith('08') && !terminatedStates.has(state);
}

/** The transient failure an error stands for, or undefined when it is the request's own (or a bug). */
export function transientFailureOf(error: unknown): TransientFailure | undefined {
  if (error instanceof TransactionInterrupted) return error.failure;
  const state = sqlStateOf(error);
  if (state) {
    if (rolledBackStates.has(state)) return 'rolled_back';
    if (state === '57014') return 'timed_out';
    if (state.startsWith('08') || terminatedStates.has(state)) return 'connection_lost';
    return undefined;
  }
  const inner = databaseErrorOf(error);
  if (!(inner instanceof Error)) return undefined;
  // Neon's HTTP driver keeps what fetch threw as sourceError; node-postgres sets no SQLSTATE on socket failures.
  const source = (inner as { sourceError?: unknown }).sourceError;
  if (isAbort(inner) || isAbort(source)) return 'timed_out';
  const code = (inner as { code?: unknown }).code;
  if (typeof code === 'string' && networkCodes.has(code)) return 'connection_lost';
  if (inner.name === 'TypeError') return /^fetch failed$|network connection lost/i.test(inner.message) ? 'connection_lost' : undefined;
  if (inner.name !== 'Error' && inner.name !== 'NeonDbError') return undefined;
  if (/query read timeout|timeout expired|timeout exceeded when trying to connect|connection terminated due to connection timeout/i.test(inner.message)) return 'timed_out';
  if (/connection terminated|terminating connection|not queryable|connection refused|socket hang up|websocket|error connecting to database|server error \(http status 5\d\d\)/i.test(inner.message)) {
    return 'connection_lost';
  }
  return undefined;
}
