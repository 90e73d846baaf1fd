import { z } from '@hono/zod-openapi';
import type { CaseListRow } from '../../db/queries/case-list.js';
import { decodeCursor, pageOf } from '../../http/cursor.js';
import { toCaseSummary } from './case-schema.js';

const cursorSchema = z.object({ reportedAt: z.iso.datetime(), id: z.uuid() });

export function decodeCaseCursor(cursor: string) {
  return decodeCursor(cursor, cursorSchema);
}

/** A page of case summaries, newest first; the cursor holds the last row's (reportedAt, id) to the microsecond. */
export function casePage(rows: CaseListRow[], limit: number) {
  return pageOf(rows, limit, (row) => ({ reportedAt: row.cursorAt, id: row.id }), toCaseSummary);
}
