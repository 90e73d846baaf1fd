import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env.js';
import { customSqlStates } from '../db/sqlstates.js';
import type { ProblemCode } from './problem-catalogue.js';
import { databaseErrorOf, sqlStateOf, transientFailureOf, TransactionInterrupted, type TransientFailure } from '../db/database-errors.js';
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

/** A key set we must fetch did not answer: worth a retry, not a bug report. */
function isKeySetUnreachable(wrapped: unknown): boolean {
  const error = databaseErrorOf(wrapped);
  return error instanceof Error && ['JWKSTimeout', 'JOSEError'].includes(error.name) && /fetch|timeout|network/i.test(error.message);
}

/**
 * The database failed the request for a reason of its own: 503 with Retry-After, never 500.
 * A write cut off by a lost connection or a timeout may still have committed; a retry with the
 * same Idempotency-Key then gets the first outcome instead of a second change.
 */
function databaseUnavailable(failure: TransientFailure, error: unknown): ProblemError {
  const mayHaveCommitted = error instanceof TransactionInterrupted && error.mayHaveCommitted;
  const unsure = mayHaveCommitted ? '; a change may or may not have been made: retry with the same Idempotency-Key' : '';
  switch (failure) {
    case 'rolled_back':
      return new ProblemError('transaction_conflict', 'nothing was changed; retry now', {
        headers: { 'Retry-After': '1' },
      });
    case 'timed_out':
      return new ProblemError('database_timeout', `retry later${unsure}`, { headers: { 'Retry-After': '5' } });
    case 'connection_lost':
      return new ProblemError('dependency_unavailable', `the database connection was lost; retry${unsure}`, {
        headers: { 'Retry-After': '1' },
      });
  }
}

/** Constraint failures a client's request can cause, by Postgres error code. */
const databaseProblems: Record<string, () => ProblemError> = {
  '23505': () => new ProblemError('already_exists', 'an object with this code or key already exists'),
  '23503': () => new ProblemError('invalid_reference', 'the request refers to an object that does not exist'),
  '23502': () => new ProblemError('invalid_reference', 'the request refers to an object that does not exist'),
  '23514': () => new ProblemError('constraint_violated', 'the values break a rule of the data model'),
  // Row-level security refused the write: the target lies outside the caller's tenancy.
  '42501': () => new ProblemError('not_found', 'no such object is visible to you'),
  [customSqlStates.idempotencyKeyInProgress]: () => new ProblemError('idempotency_key_in_use', 'a request with this Idempotency-Key is still running; retry shortly'),
  [customSqlStates.unknownTenancy]: () =>
    new ProblemError('unknown_tenancy', 'the unit, district or station named by your token does not exist or does not nest'),
};

/** SQLSTATE class 22 (data exception): a value the client sent that Postgres cannot take. */
function isDataException(code: string | undefined): boolean {
  return code?.startsWith('22') ?? false;
}

export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const failure = transientFailureOf(error);
  if (failure) return databaseUnavailable(failure, error);
  const state = sqlStateOf(error);
  const databaseProblem = databaseProblems[state ?? ''];
  if (databaseProblem) return databaseProblem();
  if (isDataException(state)) {
    return new ProblemError('invalid_value', 'check the request for characters or numbers out of range');
  }
  if (error instanceof HTTPException && error.status < 500) {
    return new ProblemError(statusCodes[error.status] ?? 'bad_request', error.message || undefined);
  }
  if (isKeySetUnreachable(error)) {
    return new ProblemError('dependency_unavailable', 'retry later', { headers: { 'Retry-After': '5' } });
  }
  return new ProblemError('internal_error', 'the failure is logged under this requestId');
}

/** An absolute URI (RFC 9457 §3.1.1) under PUBLIC_BASE_URL, or the request's own origin where it is unset or not yet read. */
export function problemTypeUri(c: Context<AppEnv>, code: ProblemCode): string {
  const base = c.var.config?.PUBLIC_BASE_URL ?? new URL(c.req.url).origin;
  return `${base.replace(/\/+$/, '')}/problems/${code}`;
}

/** The single writer of problem+json responses (RFC 9457). */
export function problemResponse(c: Context<AppEnv>, problem: ProblemError): Response {
  const body = {
    type: problemTypeUri(c, problem.code),
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
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
    console.error(JSON.stringify({ requestId: c.var.requestId, path: c.req.path, error: error.name, message: error.message, cause }));
  }
  return problemResponse(c, problem);
}
