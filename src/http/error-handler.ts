import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env.js';
import type { ProblemCode } from './problem-catalogue.js';
import { ProblemError } from './problem.js';

const statusCodes: Record<number, ProblemCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** The database, or a key set we must fetch, did not answer: worth a retry, not a bug report. */
function isDependencyUnreachable(wrapped: unknown): boolean {
  const error = unwrap(wrapped);
  if (!(error instanceof Error)) return false;
  if (['JWKSTimeout', 'JOSEError'].includes(error.name) && /fetch|timeout|network/i.test(error.message)) return true;
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
  return (error.name === 'NeonDbError' || error.name === 'Error') && code === undefined && /connect|fetch|network|socket|websocket|terminated/i.test(error.message);
}

/** Constraint failures a client's request can cause, by Postgres error code. */
const databaseProblems: Record<string, () => ProblemError> = {
  '23505': () => new ProblemError('already_exists', 'an object with this code or key already exists'),
  '23503': () => new ProblemError('invalid_reference', 'the request refers to an object that does not exist'),
  '23502': () => new ProblemError('invalid_reference', 'the request refers to an object that does not exist'),
  '23514': () => new ProblemError('constraint_violated', 'the values break a rule of the data model'),
  // Row-level security refused the write: the target lies outside the caller's tenancy.
  '42501': () => new ProblemError('not_found', 'no such object is visible to you'),
  // Raised by app.enter_tenant(): the token names codes that do not exist or do not nest.
  SOP03: () => new ProblemError('idempotency_key_in_use', 'a request with this Idempotency-Key is still running; retry shortly'),
  SOP01: () =>
    new ProblemError('unknown_tenancy', 'the unit, district or station named by your token does not exist or does not nest'),
};

/** SQLSTATE class 22 (data exception): a value the client sent that Postgres cannot take. */
function isDataException(code: string | undefined): boolean {
  return code?.startsWith('22') ?? false;
}

/** Drizzle wraps driver errors raised inside interactive transactions. */
function unwrap(error: unknown): unknown {
  return error instanceof Error && error.name === 'DrizzleQueryError' && error.cause ? error.cause : error;
}

/** A SQLSTATE: what Neon's driver and node-postgres (whose errors are named differently) both carry as `code`. */
function databaseErrorCode(wrapped: unknown): string | undefined {
  const error = unwrap(wrapped);
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const databaseProblem = databaseProblems[databaseErrorCode(error) ?? ''];
  if (databaseProblem) return databaseProblem();
  if (isDataException(databaseErrorCode(error))) {
    return new ProblemError('invalid_value', 'check the request for characters or numbers out of range');
  }
  if (error instanceof HTTPException && error.status < 500) {
    return new ProblemError(statusCodes[error.status] ?? 'bad_request', error.message || undefined);
  }
  if (isDependencyUnreachable(error)) {
    return new ProblemError('dependency_unavailable', 'retry later', { headers: { 'Retry-After': '5' } });
  }
  return new ProblemError('internal_error', 'the failure is logged under this requestId');
}

/** The single writer of problem+json responses (RFC 9457). */
export function problemResponse(c: Context<AppEnv>, problem: ProblemError): Response {
  const body = {
    type: `/problems/${problem.code}`,
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    instance: c.req.path,
    code: problem.code,
    requestId: c.var.requestId,
    ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
    ...problem.extra.members,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      'X-Request-Id': c.var.requestId,
      ...problem.extra.headers,
    },
  });
}

export function handleError(error: Error, c: Context<AppEnv>): Response {
  const problem = toProblem(error);
  if (problem.status >= 500) {
    console.error(JSON.stringify({ requestId: c.var.requestId, path: c.req.path, error: error.name, message: error.message }));
  }
  return problemResponse(c, problem);
}
