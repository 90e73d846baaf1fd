import type { Principal } from '../../auth/principal.js';
import type { SopVersionRow } from '../../db/queries/sop-versions.js';
import { notFound, ProblemError } from '../../http/problem.js';

/** The draft to change, or why there is none: not visible (404), or published and so final (409). */
export function publishedIsFinal(row: SopVersionRow | undefined, sopId: string): SopVersionRow {
  if (!row) throw notFound(`SOP version ${sopId}`);
  if (row.status === 'published') {
    throw new ProblemError('sop_published', 'draft a new version instead; cases keep the version they started with');
  }
  return row;
}

/** A station house officer sees the unit's overlay but edits only the station's own additions. */
export function assertMayEdit(principal: Principal, row: SopVersionRow): void {
  if (row.layer === 'base' || (row.layer === 'unit' && principal.tenancy.level !== 'unit')) {
    throw new ProblemError('forbidden', row.layer === 'base' ? 'the base SOP ships with the product' : 'a unit overlay is edited at unit level');
  }
}
