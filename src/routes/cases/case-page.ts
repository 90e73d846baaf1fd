import { z } from '@hono/zod-openapi';
import type { CaseListRow } from '../../db/queries/case-list.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import { toCaseSummary } from './case-schema.js';

const cursorSchema = z.object({ reportedAt: z.iso.datetime(), id: z.uuid() });

export function decodeCaseCursor(cursor: string) {
  return decodeCursor(cursor, cursorSchema);
}

/** A page of case summaries, newest first; the cursor holds the last row's (reportedAt, id) to the microsecond. */
export function casePage(rows: CaseListRow[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return {
    data: page.map(toCaseSummary),
    pagination: { nextCursor: hasMore && last ? encodeCursor({ reportedAt: last.cursorAt, id: last.id }) : null, hasMore },
  };
}
