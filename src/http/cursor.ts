import { z } from '@hono/zod-openapi';
import { ProblemError } from './problem.js';

/** Opaque keyset cursors: base64url JSON that clients pass back untouched. */
export function encodeCursor(position: Record<string, string>): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor<T extends z.ZodType>(cursor: string, schema: T): z.infer<T> {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
    return schema.parse(JSON.parse(json));
  } catch {
    throw new ProblemError('invalid_cursor', 'pass back the nextCursor of a previous page unchanged', {
      errors: [{ pointer: '/query/cursor', detail: 'not a cursor this API issued' }],
    });
  }
}

export const paginationSchema = z
  .object({
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` to read the next page; null on the last page.' }),
    hasMore: z.boolean(),
  })
  .openapi('Pagination');

export const pageQuerySchema = {
  cursor: z.string().max(512).optional().openapi({ description: 'The `nextCursor` of the previous page.' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'a whole number from 1 to 200')
    .default('50')
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .openapi({ description: 'Page size, 1 to 200.', type: 'integer', minimum: 1, maximum: 200, default: 50 }),
};

/**
 * A page from rows fetched with one extra (limit + 1): the extra row only says that more
 * follow, and the cursor points after the last row shown (one key, or a composite position).
 */
export function pageOf<Row, Item>(rows: Row[], limit: number, after: (row: Row) => string | Record<string, string>, toItem: (row: Row) => Item) {
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const position = hasMore ? after(page.at(-1)!) : null;
  return {
    data: page.map(toItem),
    pagination: { nextCursor: position === null ? null : encodeCursor(typeof position === 'string' ? { after: position } : position), hasMore },
  };
}
