import { ProblemError } from './problem.js';
import { z } from '@hono/zod-openapi';

/** For updates, which answer 428 without it. Optional to zod, so that a missing one is 428 rather than a validation failure. */
export const ifMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .max(100)
    .optional()
    .openapi({
      param: { name: 'if-match', in: 'header', required: true },
      description: 'The ETag of the version you read (e.g. `"v3"`), or `*` for whatever is current. Missing is 428; a stale one is 412.',
      example: '"v3"',
    }),
});

/** For transitions and transfers, where If-Match is a choice: absent means any version. */
export const optionalIfMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .max(100)
    .optional()
    .openapi({
      param: { name: 'if-match', in: 'header' },
      description: 'Optional: the ETag of the version you read (e.g. `"v3"`), or `*`; absent applies to whatever is current. A stale one is 412.',
      example: '"v3"',
    }),
});

export function etagOf(version: number): string {
  return `"v${version}"`;
}

/** The versions an update may change (any listed), or null for `*`; a missing If-Match is 428, a malformed one 400. */
export function expectedVersion(ifMatch: string | undefined): number[] | null {
  if (ifMatch === undefined) {
    throw new ProblemError('precondition_required', 'send If-Match with the ETag you read, so a concurrent change is not overwritten');
  }
  if (ifMatch.trim() === '*') return null;
  // A list of tags is allowed (RFC 9110 §13.1.1): the update applies if any of them is current.
  const versions = ifMatch.split(',').map((tag) => tag.trim().match(/^(?:W\/)?"v(\d{1,9})"$/)?.[1]);
  if (versions.length === 0 || versions.some((version) => version === undefined)) {
    throw new ProblemError('validation_failed', 'If-Match must be an ETag this API gave, such as "v3"', {
      errors: [{ pointer: '/header/if-match', detail: 'an ETag such as "v3", or *' }],
    });
  }
  return versions.map(Number);
}

export function staleVersion(): ProblemError {
  return new ProblemError('precondition_failed', 'the object changed since the ETag you sent; read it again and reapply your change');
}
