import { z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PROBLEM_CODES, problemCatalogue, type ProblemCode } from './problem-catalogue.js';
import { sharedHeaders } from './response-headers.js';

export interface FieldError {
  /** JSON Pointer (RFC 6901) into the request part that failed, e.g. `/query/limit`. */
  pointer: string;
  detail: string;
}

/**
 * A failure the client is told about as an RFC 9457 problem: a code of the catalogue
 * (src/http/problem-catalogue.ts), which fixes its status and title, and a detail for this
 * occurrence. Thrown; written by the app's error handler.
 */
export class ProblemError extends Error {
  readonly status: ContentfulStatusCode;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; members?: Record<string, unknown> } = {},
  ) {
    super(detail ?? problemCatalogue[code].title);
    this.status = problemCatalogue[code].status;
    this.title = problemCatalogue[code].title;
  }
}

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://sextortion-sop-api.dev/problems/not_found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.enum(PROBLEM_CODES).openapi({
      description:
        'Stable machine-readable code; never changes meaning. Each code has one status and title:\n\n' +
        PROBLEM_CODES.map((code) => `- \`${code}\` (${problemCatalogue[code].status}): ${problemCatalogue[code].means}`).join('\n'),
    }),
    requestId: z.string(),
    errors: z
      .array(z.object({ pointer: z.string(), detail: z.string() }))
      .optional()
      .openapi({ description: 'Present on validation failures: one entry per failing field.' }),
    currentStatus: z.string().optional().openapi({ description: 'On an illegal case transition: where the case stands.' }),
    allowedTransitions: z.array(z.string()).optional().openapi({ description: 'On an illegal case transition: the statuses it may move to.' }),
    'violated-policies': z
      .array(z.enum(['client', 'unit']))
      .optional()
      .openapi({ description: 'On a 429 for a used-up quota: which quota (as named in RateLimit-Policy).' }),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: problemSchema } };

function problemResponse(description: string) {
  return { description, content: problemContent };
}

/** The quota headers (draft-ietf-httpapi-ratelimit-headers): on every response to a counted request. */
export const rateLimitHeaders = { 'RateLimit-Policy': sharedHeaders['RateLimit-Policy'], RateLimit: sharedHeaders.RateLimit } as const;

const tooManyRequestsHeaders = { 'Retry-After': sharedHeaders['Retry-After'], ...rateLimitHeaders } as const;

/** A 429: a quota is used up, or (at the token endpoint) too many failed attempts locked the client or address. */
export function tooManyRequests(description: string) {
  return { description, headers: tooManyRequestsHeaders, content: problemContent };
}

/** The problem responses every operation can give; spread into createRoute({ responses }). */
export const commonProblems = {
  400: problemResponse('The request is malformed or fails validation.'),
  500: problemResponse('The server failed, or is misconfigured; the requestId ties it to the logs.'),
  503: problemResponse(
    'The database cannot be reached, did not answer within the request\'s bound, or gave up a conflicting transaction ' +
      '(dependency_unavailable, database_timeout, transaction_conflict): retry after Retry-After seconds, a write with the same Idempotency-Key.',
  ),
} as const;

export const authenticatedProblems = {
  ...commonProblems,
  401: problemResponse('No valid bearer token.'),
  403: problemResponse('The token is valid but does not permit this operation.'),
  429: { $ref: '#/components/responses/QuotaExceeded' },
} as const;

/** Registered once as a component (createApp), so 67 operations refer to it instead of repeating it. */
export const quotaExceededResponse = {
  description: 'The caller\'s own quota or its unit\'s quota is used up (`quota_exceeded`); see Retry-After and RateLimit.',
  headers: tooManyRequestsHeaders,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

export const notFoundProblem = { 404: problemResponse('No such object visible to the caller.') } as const;

export const stalePreconditionProblem = { 412: problemResponse('The object changed since the ETag in If-Match.') } as const;

export const preconditionProblems = {
  ...stalePreconditionProblem,
  428: problemResponse('If-Match is missing.'),
} as const;

export const conflictProblem = {
  409: problemResponse('An object with this code or key already exists.'),
  422: problemResponse('The request is well-formed but breaks a rule of the data (e.g. refers to an unknown object).'),
} as const;

/** For the operations that look at an identity provider's keys before saving them. */
export const keySetProblem = {
  422: problemResponse(
    'The discovery document or the key set cannot be used (key_set_unusable: `errors` points at the field), or the request breaks a rule of the data.',
  ),
} as const;

/** For a checkpoint sent back to be checked. */
export const checkpointProblem = {
  422: problemResponse('The checkpoint does not verify against this API\'s keys, is not an audit checkpoint, or names another unit (checkpoint_invalid).'),
} as const;

/** A 400 for one field that passed the schema but not a rule the schema cannot express. */
export function invalidField(pointer: string, detail: string): ProblemError {
  return new ProblemError('validation_failed', detail, { errors: [{ pointer, detail }] });
}

export function notFound(what: string): ProblemError {
  return new ProblemError('not_found', `no ${what} is visible to you`);
}
