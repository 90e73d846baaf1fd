import type { Middleware } from 'openapi-fetch';

export interface RetryOptions {
  /** Further attempts after the first (default 2). */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the answer goes back to the caller (default 30). */
  maxDelaySeconds?: number;
  /** The wait when an answer names none: 1 s, doubling per attempt. */
  sleep?: (milliseconds: number) => Promise<void>;
  now?: () => number;
}

const retriedStatuses = new Set([429, 503]);
const repeatableMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Seconds to wait from a Retry-After value: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * A 429 was refused before any work, so it is always sent again; a 503 only when repeating it
 * cannot do the work twice: a read, a PUT or DELETE, a call carrying an Idempotency-Key (the
 * same key is sent again) or If-Match, or the token request.
 */
function mayRepeat(request: Request, status: number, schemaPath: string): boolean {
  if (status === 429) return true;
  return repeatableMethods.has(request.method) || request.headers.has('Idempotency-Key') || request.headers.has('If-Match') || schemaPath === '/v1/oauth/token';
}

/**
 * Sends a call refused with 429 or 503 again after the Retry-After the API named, at most
 * `maxRetries` times and never waiting longer than `maxDelaySeconds`; the last answer is the
 * caller's. Register it last, so it repeats the request exactly as the other middleware made it.
 */
export function retryAfter(options: RetryOptions = {}): Middleware {
  const maxRetries = options.maxRetries ?? 2;
  const maxDelaySeconds = options.maxDelaySeconds ?? 30;
  const sleep = options.sleep ?? ((milliseconds) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  const now = options.now ?? Date.now;
  const originals = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      originals.set(id, request.clone());
      return undefined;
    },
    async onResponse({ response, id, schemaPath, options: clientOptions }) {
      const original = originals.get(id);
      originals.delete(id);
      if (!original) return undefined;
      let answer = response;
      for (let attempt = 0; attempt < maxRetries && retriedStatuses.has(answer.status) && mayRepeat(original, answer.status, schemaPath); attempt++) {
        const seconds = retryAfterSeconds(answer.headers.get('Retry-After'), now()) ?? 2 ** attempt;
        if (seconds > maxDelaySeconds) break;
        await answer.body?.cancel();
        await sleep(seconds * 1000);
        answer = await clientOptions.fetch(original.clone());
      }
      return answer === response ? undefined : answer;
    },
    onError({ id }) {
      originals.delete(id);
      return undefined;
    },
  };
}
