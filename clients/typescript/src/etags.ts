import type { Middleware } from 'openapi-fetch';
import { ifMatchOperations, ifMatchRequiredOperations } from './operations.js';

/**
 * The ETag last seen for each object, by its path (/v1/cases/…): from reading it, from a change
 * to it, and from a create that answers with its Location. At most `capacity` objects, the
 * least recently seen forgotten first.
 */
export class EtagStore {
  private readonly tags = new Map<string, string>();

  constructor(private readonly capacity = 1_000) {}

  get(objectPath: string): string | undefined {
    return this.tags.get(objectPath);
  }

  remember(objectPath: string, etag: string): void {
    this.tags.delete(objectPath);
    this.tags.set(objectPath, etag);
    if (this.tags.size > this.capacity) this.tags.delete(this.tags.keys().next().value!);
  }

  forget(objectPath: string): void {
    this.tags.delete(objectPath);
  }
}

/**
 * The object an operation reads or changes: its path up to the last path parameter
 * (/v1/cases/{caseId}/assignee and /v1/cases/{caseId}/transitions both act on /v1/cases/{caseId}).
 */
function objectPathOf(url: string, schemaPath: string): string | undefined {
  const templateSegments = schemaPath.split('/');
  const lastParameter = templateSegments.findLastIndex((segment) => segment.startsWith('{'));
  if (lastParameter < 0) return undefined;
  return new URL(url).pathname.split('/').slice(0, lastParameter + 1).join('/');
}

/**
 * Remembers the ETag answered by a read of one object, by a change to it (every operation that
 * takes If-Match) and by a create (under its Location). Sends If-Match with the remembered ETag
 * on every operation whose contract requires it, unless
 * the caller set one; without a remembered ETag it sends none, and the API's 428 says to read
 * the object first. A 412 means someone else changed the object since: read it again, decide,
 * retry. Nothing here re-reads on its own, which would turn the precondition into
 * last-writer-wins.
 */
export function etagPreconditions(etags: EtagStore): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      if (!ifMatchRequiredOperations.has(`${request.method} ${schemaPath}`) || request.headers.has('If-Match')) return undefined;
      const objectPath = objectPathOf(request.url, schemaPath);
      const etag = objectPath && etags.get(objectPath);
      if (!etag) return undefined;
      request.headers.set('If-Match', etag);
      return request;
    },
    onResponse({ request, response, schemaPath }) {
      if (!response.ok) return undefined;
      const etag = response.headers.get('ETag');
      const location = response.headers.get('Location');
      if (response.status === 201 && location && etag) {
        etags.remember(new URL(location, request.url).pathname, etag);
        return undefined;
      }
      const objectPath = objectPathOf(request.url, schemaPath);
      if (!objectPath) return undefined;
      const actsOnTheObject = request.method === 'GET' ? schemaPath.endsWith('}') : ifMatchOperations.has(`${request.method} ${schemaPath}`);
      if (!actsOnTheObject) return undefined;
      if (request.method === 'DELETE') etags.forget(objectPath);
      else if (etag) etags.remember(objectPath, etag);
      return undefined;
    },
  };
}
