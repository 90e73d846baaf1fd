import { z } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldError {
  /** JSON Pointer (RFC 6901) into the request part that failed, e.g. `/query/limit`. */
  pointer: string;
  detail: string;
}

/** A failure the client is told about as an RFC 9457 problem. Thrown; written by the app's error handler. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; members?: Record<string, unknown> } = {},
  ) {
    super(detail ?? title);
  }
}

export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'https://sextortion-sop-api.dev/problems/not_found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().openapi({ description: 'Stable machine-readable code; never changes meaning.' }),
    requestId: z.string(),
    errors: z
      .array(z.object({ pointer: z.string(), detail: z.string() }))
      .optional()
      .openapi({ description: 'Present on validation failures: one entry per failing field.' }),
    currentStatus: z.string().optional().openapi({ description: 'On an illegal case transition: where the case stands.' }),
    allowedTransitions: z.array(z.string()).optional().openapi({ description: 'On an illegal case transition: the statuses it may move to.' }),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: problemSchema } };

function problemResponse(description: string) {
  return { description, content: problemContent };
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
} as const;

export const notFoundProblem = { 404: problemResponse('No such object visible to the caller.') } as const;

export const preconditionProblems = {
  412: problemResponse('The object changed since the ETag in If-Match.'),
  428: problemResponse('If-Match is missing.'),
} as const;

export const conflictProblem = {
  409: problemResponse('An object with this code or key already exists.'),
  422: problemResponse('The request is well-formed but breaks a rule of the data (e.g. refers to an unknown object).'),
} as const;

/** A 400 for one field that passed the schema but not a rule the schema cannot express. */
export function invalidField(pointer: string, detail: string): ProblemError {
  return new ProblemError(400, 'validation_failed', 'The request did not pass validation', detail, { errors: [{ pointer, detail }] });
}

export function notFound(what: string): ProblemError {
  return new ProblemError(404, 'not_found', 'Not found', `no ${what} is visible to you`);
}
