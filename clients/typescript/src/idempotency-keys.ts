import type { Middleware } from 'openapi-fetch';
import { idempotentOperations } from './operations.js';

/**
 * A fresh Idempotency-Key on every call to an operation whose contract takes one (creates and
 * transitions), unless the caller sent its own. Retries of the same call (see retry-after.ts)
 * send the same key, so the API answers a repeated create with the first outcome.
 */
export function idempotencyKeys(newKey: () => string = () => crypto.randomUUID()): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      if (!idempotentOperations.has(`${request.method} ${schemaPath}`) || request.headers.has('Idempotency-Key')) return undefined;
      request.headers.set('Idempotency-Key', newKey());
      return request;
    },
  };
}
