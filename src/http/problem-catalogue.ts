import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface ProblemKind {
  status: ContentfulStatusCode;
  title: string;
  /** What it means and what the client should do: the problem's documentation. */
  means: string;
}

/**
 * Every problem the API answers with, by its stable code. A code never changes meaning; its
 * title is the same on every answer (RFC 9457). openapi.yaml lists them (tests/openapi).
 */
export const problemCatalogue = {
  validation_failed: { status: 400, title: 'The request did not pass validation', means: 'A field is missing or malformed; `errors` points at each one (JSON Pointer). Fix them and send again.' },
  bad_request: { status: 400, title: 'The request cannot be processed', means: 'The request could not be read (e.g. a body that is not JSON). Fix it and send again.' },
  invalid_value: { status: 400, title: 'A value cannot be stored or compared', means: 'A value is out of range or has characters the database cannot take. Check numbers and text in the request.' },
  invalid_cursor: { status: 400, title: 'Invalid cursor', means: 'The cursor is not one this API gave. Pass back the `nextCursor` of a previous page unchanged.' },
  invalid_clock_override: { status: 400, title: 'Invalid clock override', means: 'Tests and the replay only: X-Clock-Override must be an RFC 3339 time.' },
  oauth_invalid_request: { status: 400, title: 'Token request refused', means: 'RFC 6749 invalid_request: send grant_type and the credentials form-encoded.' },
  oauth_unsupported_grant_type: { status: 400, title: 'Token request refused', means: 'RFC 6749 unsupported_grant_type: only client_credentials is served.' },
  oauth_invalid_scope: { status: 400, title: 'Token request refused', means: 'RFC 6749 invalid_scope: ask only for scopes the client was given.' },
  oauth_invalid_client: { status: 401, title: 'Token request refused', means: 'RFC 6749 invalid_client: unknown client, wrong secret, or a disabled client. Repeated failures lock the client and the address (429).' },
  unauthorized: { status: 401, title: 'Authentication required', means: 'No valid bearer token. Get a token (client credentials, or your unit\'s identity provider) and send it as `Authorization: Bearer …`.' },
  forbidden: { status: 403, title: 'Not permitted', means: 'The token is valid but its roles or scopes do not permit this operation, or not at this level of the tenancy.' },
  unknown_tenancy: { status: 403, title: 'Unknown tenancy', means: 'The unit, district or station the token names does not exist or does not nest. Check the identity provider\'s claims.' },
  not_case_holder: { status: 403, title: 'Not the holder of this case', means: 'Only the station holding the case (or a supervisor above it) may change it; a station that held it before may still read it.' },
  not_found: { status: 404, title: 'Not found', means: 'No such object is visible to the caller. Another tenant\'s object answers this too, never 403.' },
  method_not_allowed: { status: 405, title: 'Method not allowed', means: 'The path exists but not with this method; `Allow` lists the ones it serves.' },
  already_exists: { status: 409, title: 'Already exists', means: 'An object with this code or key already exists.' },
  already_there: { status: 409, title: 'Already at that station', means: 'The case is already held by that station.' },
  case_closed: { status: 409, title: 'The case is closed', means: 'A closed case takes no changes; a supervisor may reopen it.' },
  fir_reference_missing: { status: 409, title: 'FIR reference missing', means: 'Record the FIR number as a reference before moving the case to fir_registered.' },
  idempotency_key_in_use: { status: 409, title: 'Request in progress', means: 'A request with this Idempotency-Key is still running. Retry shortly with the same key.' },
  illegal_transition: { status: 409, title: 'Not allowed from this status', means: 'The case cannot move there from where it stands; `currentStatus` and `allowedTransitions` say what can.' },
  sop_published: { status: 409, title: 'Published versions do not change', means: 'Draft a new version instead.' },
  preservation_not_extendable: {
    status: 409,
    title: 'No preservation to extend',
    means: 'An extension follows a preservation request sent to the same platform on this case and still in force, once; and only where that kind of body extends (GET /v1/units/{unitCode}/platforms).',
  },
  webhook_disabled: { status: 409, title: 'The subscription is disabled', means: 'Nothing is delivered to a disabled subscription, a replay included. Enable it (POST …/enable), then replay.' },
  step_not_pending: { status: 409, title: 'Step already closed', means: 'The step was done, skipped, marked not applicable or retired already.' },
  precondition_failed: { status: 412, title: 'Changed since you read it', means: 'The object changed since the ETag in If-Match. Read it again and reapply the change.' },
  payload_too_large: { status: 413, title: 'Request too large', means: 'Requests are at most 1 MiB, evidence with its bytes 15 MiB.' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type', means: 'Send JSON (application/json), or a form where the operation says so.' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key reused', means: 'The key was used for a different request. Use a new key for a new request.' },
  invalid_reference: { status: 422, title: 'Invalid reference', means: 'The request refers to an object that does not exist.' },
  constraint_violated: { status: 422, title: 'Not allowed by the data rules', means: 'The values break a rule of the data model.' },
  unknown_platform: { status: 422, title: 'Unknown platform', means: 'The platform is not in the unit\'s directory (GET /v1/units/{unitCode}/platforms).' },
  no_letter_template: { status: 422, title: 'No letter template', means: 'Neither the unit nor the shipped directory has a letter template for this kind of request.' },
  event_not_subscribed: {
    status: 422,
    title: 'Not an event of this subscription',
    means: 'The unit holds the event, but the subscription does not receive it: its type is not in eventTypes, or it happened outside the subscription\'s district or station.',
  },
  key_set_unusable: {
    status: 422,
    title: 'The identity provider\'s keys cannot be used',
    means:
      'The discovery document or the key set could not be read, or holds no key that verifies the pinned algorithms; `errors` points at the field (issuer, jwksUri, jwks or algorithms). Nothing was saved. Fix the provider or the registration and send again.',
  },
  checkpoint_invalid: {
    status: 422,
    title: 'Not a checkpoint of this unit signed by this API',
    means: 'The JWS does not verify against this API\'s keys (GET /.well-known/jwks.json), is not an audit checkpoint (`typ: audit-checkpoint+jwt`), or names another unit. Send one this API signed for the unit, unchanged.',
  },
  sop_invalid: { status: 422, title: 'The SOP is not usable', means: 'The SOP layer breaks a rule (unknown role, cycle, impossible condition, …); `errors` points at each.' },
  precondition_required: { status: 428, title: 'If-Match required', means: 'Send If-Match with the ETag you read, so a concurrent change is not overwritten.' },
  quota_exceeded: { status: 429, title: 'Too many requests', means: 'The caller\'s or its unit\'s quota is used up. Wait Retry-After seconds; RateLimit says what is left.' },
  too_many_failed_attempts: { status: 429, title: 'Too many failed attempts', means: 'Repeated wrong credentials locked this client or address for a while. Wait Retry-After seconds.' },
  internal_error: { status: 500, title: 'Internal server error', means: 'A failure on the server. The requestId ties it to the logs; report it.' },
  configuration_invalid: { status: 500, title: 'The server is misconfigured', means: 'A binding or secret is missing or malformed; the detail names it. For the operator.' },
  transaction_conflict: { status: 503, title: 'The database gave up on a conflicting transaction', means: 'A serialization failure, deadlock or lock wait ended the transaction; nothing was changed. Retry now (Retry-After: 1).' },
  database_timeout: { status: 503, title: 'The database did not answer in time', means: 'The request passed its bound (DATABASE_READ_TIMEOUT_MS / DATABASE_WRITE_TIMEOUT_MS). Retry after Retry-After seconds; a write with the same Idempotency-Key, since it may have been made.' },
  dependency_unavailable: { status: 503, title: 'A service this API needs cannot be reached', means: 'The database or a key set did not answer. Retry after Retry-After seconds (with the same Idempotency-Key for a write).' },
} as const satisfies Record<string, ProblemKind>;

export type ProblemCode = keyof typeof problemCatalogue;

export const PROBLEM_CODES = Object.keys(problemCatalogue) as ProblemCode[];
