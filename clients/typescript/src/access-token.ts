import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

/** A bearer token, or a function that gives the current one. */
export type AccessToken = string | (() => string | Promise<string>);

export interface ClientCredentialsOptions {
  /** The API's origin, e.g. https://sop.example.gov.in: tokens come from its POST /v1/oauth/token. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** A subset of the client's scopes; all of them when left out. */
  scopes?: string[];
  /** A new token is fetched this many seconds before the current one expires (default 60; at most half its lifetime). */
  refreshBeforeSeconds?: number;
  fetch?: typeof fetch;
  /** Middleware for the token request itself (the client passes its Retry-After handling). */
  middleware?: Middleware[];
  now?: () => number;
}

type Problem = components['schemas']['Problem'];

export class TokenRequestError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(`the token endpoint answered ${status}${problem?.detail ? `: ${problem.detail}` : ''}`);
  }
}

/**
 * A machine client's access tokens (OAuth 2.0 client credentials, HTTP Basic): fetched when
 * first needed, reused until shortly before they expire, then fetched again. Concurrent callers
 * share one token request.
 */
export function clientCredentialsToken(options: ClientCredentialsOptions): () => string | Promise<string> {
  const now = options.now ?? Date.now;
  const tokenEndpoint = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  if (options.middleware) tokenEndpoint.use(...options.middleware);
  // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined.
  const basic = btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`);
  let current: { accessToken: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const requestedAt = now();
    const { data, error, response } = await tokenEndpoint.POST('/v1/oauth/token', {
      body: { grant_type: 'client_credentials', ...(options.scopes ? { scope: options.scopes.join(' ') } : {}) },
      bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    if (!data) throw new TokenRequestError(response.status, error as Problem | undefined);
    const refreshBefore = Math.min(options.refreshBeforeSeconds ?? 60, data.expires_in / 2);
    current = { accessToken: data.access_token, refreshAt: requestedAt + (data.expires_in - refreshBefore) * 1000 };
    return data.access_token;
  }

  return () => {
    if (current && now() < current.refreshAt) return current.accessToken;
    pending ??= requestToken().finally(() => (pending = undefined));
    return pending;
  };
}

/** Sends `Authorization: Bearer <token>` on every call but the token request (and where the caller set one). */
export function bearerToken(token: AccessToken): Middleware {
  return {
    async onRequest({ request, schemaPath }) {
      if (schemaPath === '/v1/oauth/token' || request.headers.has('Authorization')) return undefined;
      request.headers.set('Authorization', `Bearer ${typeof token === 'string' ? token : await token()}`);
      return request;
    },
  };
}
