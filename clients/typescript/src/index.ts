import createClient, { type Client } from 'openapi-fetch';
import { bearerToken, clientCredentialsToken, type AccessToken, type ClientCredentialsOptions } from './access-token.js';
import { EtagStore, etagPreconditions } from './etags.js';
import { idempotencyKeys } from './idempotency-keys.js';
import { retryAfter, type RetryOptions } from './retry-after.js';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
export { clientCredentialsToken, TokenRequestError, type AccessToken, type ClientCredentialsOptions } from './access-token.js';
export { EtagStore } from './etags.js';
export { retryAfterSeconds, type RetryOptions } from './retry-after.js';

export interface SopClientOptions {
  /** The API's origin, e.g. https://sop.example.gov.in (paths in the contract start with /v1). */
  baseUrl: string;
  /** A machine client's id and secret: tokens from POST /v1/oauth/token, refreshed before they expire. */
  clientCredentials?: Omit<ClientCredentialsOptions, 'baseUrl' | 'fetch' | 'middleware'>;
  /** Or any other bearer token, e.g. an officer's from the unit's identity provider. */
  accessToken?: AccessToken;
  /** How calls refused with 429 or 503 are repeated; false sends each once. */
  retry?: RetryOptions | false;
  fetch?: typeof fetch;
}

export type SopClient = Client<paths> & { etags: EtagStore };

/**
 * The API's typed client (openapi-fetch over the types generated from openapi.yaml) with its
 * middleware: the bearer token, an Idempotency-Key on creates and transitions, If-Match from the
 * ETags it has seen, and Retry-After honoured on 429 and 503.
 */
export function createSopClient(options: SopClientOptions): SopClient {
  if (options.clientCredentials && options.accessToken) throw new TypeError('give clientCredentials or accessToken, not both');
  const retries = options.retry === false ? [] : [retryAfter(options.retry)];
  const token =
    options.accessToken ??
    (options.clientCredentials && clientCredentialsToken({ ...options.clientCredentials, baseUrl: options.baseUrl, fetch: options.fetch, middleware: retries }));
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const etags = new EtagStore();
  if (token) client.use(bearerToken(token));
  // The retry middleware comes last: it repeats the request exactly as the others made it.
  client.use(idempotencyKeys(), etagPreconditions(etags), ...retries);
  return Object.assign(client, { etags });
}
