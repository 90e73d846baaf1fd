import { listAuditEventsRoute } from '../../src/routes/audit/list-audit-events.js';
import { api } from './api.js';
import { parseResponse } from './contract.js';

/** A unit's whole audit trail, oldest first, read through GET /v1/units/{unitCode}/audit. */
export async function auditTrail(unitCode: string, token: string) {
  const events = [];
  let query = '?limit=200';
  for (;;) {
    const page = await parseResponse(listAuditEventsRoute, 200, await api(`/v1/units/${unitCode}/audit${query}`, { token }));
    events.push(...page.data);
    if (!page.pagination.nextCursor) return events;
    query = `?limit=200&cursor=${page.pagination.nextCursor}`;
  }
}
