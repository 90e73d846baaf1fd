import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CASE_EVENT_ACTIONS } from '../../../src/cases/timeline-masking.js';
import { openHttpDatabase } from '../../../src/db/client.js';
import { addEvidenceRoute } from '../../../src/routes/cases/add-evidence.js';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { getCaseTimelineRoute } from '../../../src/routes/cases/get-case-timeline.js';
import { reportCaseRoute } from '../../../src/routes/cases/report-case.js';
import { createPlatformRequestRoute } from '../../../src/routes/platform-requests/create-platform-request.js';
import { api } from '../../support/api.js';
import { intake } from '../../support/cases.js';
import { ownerConfig } from '../../support/config.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { clientToken, signToken, tokenFor } from '../../support/tokens.js';

/*
 * Issue 10: readers without personal:read (auditors, supervisors, the unit's administrator,
 * clients without the scope) read the case masked; its timeline must be masked the same way.
 * One case is worked through every event the case routes write (and the three the minute sweeps
 * write), then each masked reader's timeline is compared, event by event, with the full one.
 */

type TimelineEntry = Awaited<ReturnType<typeof timelinePage>>['data'][number];

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

const NOTE = 'Spoke to Sunita Deshmukh at 12 Shivaji Nagar, Pune: the victim is staying with his aunt.';
const UPDATED_NARRATIVE = 'Rohan Deshmukh met the offender on Instagram; the family lives at 12 Shivaji Nagar.';

/** What the case masks for these readers (the intake's people and payer): in the full case, not in the masked one, nor in the masked timeline. */
const PERSONAL = ['Sunita', 'Deshmukh', '9812345610', 'sunita.d@example.in', 'Rohan', 'rohan@okhdfc'];

async function timelinePage(caseId: string, token: string, query = '') {
  return parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline${query}`, { token }));
}

async function wholeTimeline(caseId: string, token: string) {
  const entries: TimelineEntry[] = [];
  let query = '?limit=200';
  for (;;) {
    const page = await timelinePage(caseId, token, query);
    entries.push(...page.data);
    if (!page.pagination.nextCursor) return entries;
    query = `?limit=200&cursor=${page.pagination.nextCursor}`;
  }
}

async function call(path: string, token: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await api(path, { method, token, body, headers });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>);
}

/**
 * The minute sweeps are global, so each runs as the owner in one transaction with the row it is
 * to find moved to 1970: no other session ever sees that row due, and no other test's row is due then.
 */
async function sweepOnly(move: ReturnType<typeof sql>, sweep: ReturnType<typeof sql>) {
  const owner = openHttpDatabase(ownerConfig());
  const [, { rows }] = await owner.batch([owner.execute(move), owner.execute<{ done: number }>(sweep)]);
  expect(Number(rows[0]!.done)).toBe(1);
}

/** Every kind of event on one case: intake, records, SOP, evidence, requests, sweeps, workflow; returns who works it. */
async function workTheCase(tenant: TestTenant) {
  const [stationA, , , cyber] = tenant.stationCodes;
  const officer = await signToken({ sub: 'psi.jadhav', roles: ['investigating_officer'], unit: tenant.unitCode, station: stationA });
  const sho = await signToken({ sub: 'pi.kulkarni', roles: ['station_house_officer'], unit: tenant.unitCode, station: stationA });
  const cyberSho = await signToken({ sub: 'pi.more', roles: ['station_house_officer'], unit: tenant.unitCode, station: cyber });
  const reported = await parseResponse(reportCaseRoute, 201, await api('/v1/cases', { method: 'POST', token: officer, body: intake() }));
  const at = `/v1/cases/${reported.id}`;

  await call(`${at}/identifiers`, officer, 'POST', { kind: 'url', value: 'https://www.instagram.com/cash.king.99/' });
  await call(`${at}/payments`, officer, 'POST', { amount: '3000', paidAt: hoursAgo(5), method: 'upi', payer: 'rohan@okhdfc', payee: { kind: 'upi', value: 'Cash.King@Paytm' } });
  await call(`${at}/references`, officer, 'POST', { kind: 'ncrp_acknowledgement', value: '31811250012345', note: 'Filed by the complainant' });
  await call(`${at}/notes`, officer, 'POST', { body: NOTE });
  await call(at, officer, 'PATCH', {
    complainant: { name: 'Sunita Deshmukh', phone: '98123 45610', email: 'sunita.d@example.in', address: '12 Shivaji Nagar, Pune', relationToVictim: 'parent' },
    narrative: UPDATED_NARRATIVE,
  }, { 'If-Match': '*' });

  const evidence = await parseResponse(
    addEvidenceRoute,
    201,
    await api(`${at}/evidence`, { method: 'POST', token: officer, body: { kind: 'screenshot', description: 'Threat message', content: btoa('threat'), capturedAt: hoursAgo(4) } }),
  );
  await call(`${at}/evidence/${evidence.id}/custody`, officer, 'POST', { kind: 'handed_over', to: { name: 'Malkhana in-charge' } });
  await call(`${at}/evidence/${evidence.id}/custody`, officer, 'POST', { kind: 'reverified', content: btoa('threat') });

  await call(`${at}/safety-screen`, officer, 'POST', { riskLevel: 'medium', neverContactThroughFamily: true, consentToContact: true });
  await call(`${at}/sop/steps/stop-the-harm`, officer, 'POST', { outcome: 'skipped', reason: 'Account already deactivated' });
  await call(`${at}/sop/steps/report-1930`, officer, 'POST', { outcome: 'not_applicable', reason: 'Reported on 1930 before coming in' });
  await call(`${at}/sop/migrate`, sho, 'POST');
  await sweepOnly(
    sql`update case_steps set next_escalation_at = '1970-01-01T00:00:00Z'
         where id = (select id from case_steps where case_id = ${reported.id} and status = 'pending' and next_escalation_at is not null order by step_key limit 1)`,
    sql`select app.escalate_overdue_steps('1970-01-01T00:01:00Z', 10) as done`,
  );

  const request = async (...moves: string[]) => {
    const draft = await parseResponse(createPlatformRequestRoute, 201, await api(`${at}/requests`, { method: 'POST', token: officer, body: { platformKey: 'instagram', kind: 'preservation' } }));
    for (const to of moves) await call(`${at}/requests/${draft.id}/transitions`, officer, 'POST', { to, ...(to === 'sent' && { externalReference: 'META-LE-1' }), ...(to === 'refused' && { note: 'Account not found' }) });
    return draft.id;
  };
  const answered = await request('approved', 'sent', 'acknowledged');
  await sweepOnly(
    sql`update platform_requests set reminder_at = '1970-01-01T00:00:00Z' where id = ${answered}`,
    sql`select app.remind_expiring_preservations('1970-01-01T00:01:00Z', 10) as done`,
  );
  await call(`${at}/requests/${answered}/transitions`, officer, 'POST', { to: 'actioned' });
  const extension = await parseResponse(
    createPlatformRequestRoute,
    201,
    await api(`${at}/requests`, { method: 'POST', token: officer, body: { platformKey: 'instagram', kind: 'preservation_extension' } }),
  );
  for (const to of ['approved', 'sent']) await call(`${at}/requests/${extension.id}/transitions`, officer, 'POST', { to });
  const takedown = await parseResponse(createPlatformRequestRoute, 201, await api(`${at}/requests`, { method: 'POST', token: officer, body: { platformKey: 'whatsapp', kind: 'takedown' } }));
  await call(`${at}/requests/${takedown.id}/transitions`, sho, 'POST', { to: 'approved' });
  await call(`${at}/requests/${takedown.id}/transitions`, officer, 'POST', { to: 'sent' });
  await sweepOnly(
    sql`update platform_requests set respond_by = '1970-01-01T00:00:00Z' where id = ${takedown.id}`,
    sql`select app.flag_missed_platform_deadlines('1970-01-01T00:01:00Z', 10) as done`,
  );
  await request('approved', 'sent', 'refused');
  await request('approved', 'sent', 'expired');

  await call(`${at}/assignee`, sho, 'PUT', { subject: 'psi.jadhav', name: 'PSI R. Jadhav' }, { 'If-Match': '*' });
  await call(`${at}/transitions`, officer, 'POST', { to: 'triaged' });
  await call(`${at}/transfer`, sho, 'POST', { toStationCode: cyber, reason: 'Minor victim: cyber crime station' });
  await call(`${at}/transitions`, cyberSho, 'POST', { to: 'closed', closureReason: 'resolved_content_removed', reason: 'Content taken down' });
  return { caseId: reported.id, officer, personal: [...PERSONAL, 'Shivaji Nagar', UPDATED_NARRATIVE] };
}

/** A second case, sent on at intake by a routing rule (the transfer event of a rule, not an officer). */
async function routedCase(tenant: TestTenant) {
  await call(`/v1/units/${tenant.unitCode}/routing-rules`, await tokenFor.unit(tenant.unitCode), 'POST', {
    name: 'Large demands → cyber station',
    priority: 1,
    minAmountDemanded: '500000',
    targetStationCode: tenant.stationCodes[3],
  });
  const officer = await signToken({ sub: 'psi.jadhav', roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] });
  const body = intake({ incident: { ...intake().incident, amountDemanded: '600000' } });
  const reported = await parseResponse(reportCaseRoute, 201, await api('/v1/cases', { method: 'POST', token: officer, body }));
  expect(reported.routedBy).toBe('Large demands → cyber station');
  return { caseId: reported.id, officer, personal: [...PERSONAL, body.narrative] };
}

async function maskedReaders(tenant: TestTenant) {
  return {
    auditor: await tokenFor.auditor(tenant.unitCode),
    'unit admin': await tokenFor.unit(tenant.unitCode),
    'supervisor of the reporting district': await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
    'supervisor of the holding district': await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
    'client without personal:read': await clientToken(tenant.unitCode, ['cases:read']),
  };
}

describe('GET /v1/cases/{caseId}/timeline for readers without personal:read', () => {
  it('shows every event type as the case shows its facts: a note\'s text is withheld like the narrative, nothing personal anywhere', async () => {
    const tenant = await createTestTenant();
    const worked = await workTheCase(tenant);
    const routed = await routedCase(tenant);
    const readers = await maskedReaders(tenant);

    const seen = new Set<string>();
    for (const { caseId, officer, personal } of [worked, routed]) {
      const full = await wholeTimeline(caseId, officer);
      for (const entry of full) seen.add(entry.action);
      const fullCase = JSON.stringify(await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${caseId}`, { token: officer })));
      for (const value of personal) expect(fullCase, `the full case shows ${value}`).toContain(value);

      for (const [reader, token] of Object.entries(readers)) {
        const maskedCase = await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${caseId}`, { token }));
        expect(maskedCase.personalData).toBe('masked');
        for (const value of personal) expect(JSON.stringify(maskedCase), `the case masks ${value} for the ${reader}`).not.toContain(value);

        const masked = await wholeTimeline(caseId, token);
        // Event by event: the same event, with the same changes; only a note's text is replaced, by what the case shows for its narrative.
        expect(masked, `the ${reader}'s timeline`).toEqual(full.map((entry) => (entry.action === 'case.note_added' ? { ...entry, note: maskedCase.narrative } : entry)));
        for (const value of personal) expect(JSON.stringify(masked), `the ${reader}'s timeline shows ${value}`).not.toContain(value);
      }
    }
    const fullNote = (await wholeTimeline(worked.caseId, worked.officer)).find((entry) => entry.action === 'case.note_added');
    expect(fullNote?.note).toBe(NOTE);

    // Every event type the API writes on a case was exercised above, and every one it wrote has a masking decision.
    expect([...seen].sort()).toEqual([...CASE_EVENT_ACTIONS].sort());
  });
});
