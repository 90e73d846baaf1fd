import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../../src/db/client.js';
import { verifyAuditChainRoute } from '../../../src/routes/audit/verify-audit-chain.js';
import { addEvidenceRoute } from '../../../src/routes/cases/add-evidence.js';
import { addIdentifierRoute } from '../../../src/routes/cases/add-identifier.js';
import { addNoteRoute } from '../../../src/routes/cases/add-note.js';
import { addPaymentRoute } from '../../../src/routes/cases/add-payment.js';
import { addReferenceRoute } from '../../../src/routes/cases/add-reference.js';
import { getCaseTimelineRoute } from '../../../src/routes/cases/get-case-timeline.js';
import { recordCustodyRoute } from '../../../src/routes/cases/record-custody.js';
import { transferCaseRoute } from '../../../src/routes/cases/transfer-case.js';
import { transitionCaseRoute } from '../../../src/routes/cases/transition-case.js';
import { api, expectProblem } from '../../support/api.js';
import { reportTestCase } from '../../support/cases.js';
import { ownerConfig } from '../../support/config.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';
import { hoursAgo } from '../../support/clock.js';

type TimelineEntry = Awaited<ReturnType<typeof timelinePage>>['data'][number];


function post(path: string, token: string, body: unknown) {
  return api(path, { method: 'POST', token, body });
}

async function timelinePage(caseId: string, token: string, query = '') {
  return parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline${query}`, { token }));
}

/** The whole timeline, following the cursor page by page. */
async function wholeTimeline(caseId: string, token: string, pageSize = 200) {
  const entries: TimelineEntry[] = [];
  let query = `?limit=${pageSize}`;
  for (;;) {
    const page = await timelinePage(caseId, token, query);
    entries.push(...page.data);
    expect(page.pagination.hasMore).toBe(page.pagination.nextCursor !== null);
    if (!page.pagination.nextCursor) return entries;
    query = `?limit=${pageSize}&cursor=${page.pagination.nextCursor}`;
  }
}

const actions = (entries: TimelineEntry[]) => entries.map((entry) => entry.action);

async function verifyChain(unitCode: string) {
  return parseResponse(verifyAuditChainRoute, 200, await api(`/v1/units/${unitCode}/audit/verify`, { token: await tokenFor.unit(unitCode) }));
}

/** Tampering as the database owner would, behind the API's back. Returns the number of rows touched. */
async function asOwner(statement: SQL) {
  return (await openHttpDatabase(ownerConfig()).execute(statement)).rowCount;
}

const unitId = (unitCode: string) => sql`(select id from units where code = ${unitCode})`;

interface Officers {
  reporting: string;
  stationHouse: string;
  cyber: string;
}

async function officersOf(tenant: TestTenant): Promise<Officers> {
  return {
    reporting: await signToken({ sub: 'psi.jadhav', roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] }),
    stationHouse: await signToken({ sub: 'pi.kulkarni', roles: ['station_house_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] }),
    cyber: await signToken({ sub: 'psi.more', roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[3] }),
  };
}

/** Every kind of change to one case, by the station that took it and then by the cyber crime station; returns what each created. */
async function workTheCase(tenant: TestTenant, caseId: string, officers: Officers) {
  const at = `/v1/cases/${caseId}`;
  const identifier = await parseResponse(addIdentifierRoute, 201, await post(`${at}/identifiers`, officers.reporting, { kind: 'phone', value: '098123 45610' }));
  const payment = await parseResponse(
    addPaymentRoute,
    201,
    await post(`${at}/payments`, officers.reporting, { amount: '3000', paidAt: hoursAgo(5), method: 'upi', payee: { kind: 'upi', value: 'Cash.King@Paytm' } }),
  );
  const reference = await parseResponse(addReferenceRoute, 201, await post(`${at}/references`, officers.reporting, { kind: 'ncrp_acknowledgement', value: '31811250012345' }));
  const note = await parseResponse(addNoteRoute, 201, await post(`${at}/notes`, officers.reporting, { body: 'Victim counselled; advised not to pay again.' }));
  const evidence = await parseResponse(
    addEvidenceRoute,
    201,
    await post(`${at}/evidence`, officers.reporting, { kind: 'screenshot', description: 'Threat message', content: btoa('threat'), capturedAt: hoursAgo(4) }),
  );
  const custody = await parseResponse(
    recordCustodyRoute,
    201,
    await post(`${at}/evidence/${evidence.id}/custody`, officers.reporting, { kind: 'handed_over', to: { name: 'Malkhana in-charge' } }),
  );
  await parseResponse(transitionCaseRoute, 200, await post(`${at}/transitions`, officers.reporting, { to: 'triaged' }));
  await parseResponse(transferCaseRoute, 200, await post(`${at}/transfer`, officers.stationHouse, { toStationCode: tenant.stationCodes[3], reason: 'Minor victim: cyber crime station' }));
  await parseResponse(transitionCaseRoute, 200, await post(`${at}/transitions`, officers.cyber, { to: 'under_investigation', reason: 'Taken up' }));
  return { identifier, payment, reference, note, evidence, custody };
}

/** The checklist the base SOP gives the default intake: a minor, on Instagram and WhatsApp, who paid, no images circulated. */
const INTAKE_CHECKLIST = {
  'victim-safety': 'added',
  'stop-the-harm': 'added',
  'preserve-evidence': 'added',
  'report-1930': 'added',
  'bank-trail': 'added',
  'platform-takedown.instagram': 'added',
  'platform-takedown.whatsapp': 'added',
  'platform-preservation.instagram': 'added',
  'platform-preservation.whatsapp': 'added',
  'block-reuploads-minor': 'added',
  'pocso-report': 'added',
  'register-fir': 'added',
  'sim-imei-block': 'added',
  'action-taken-report': 'added',
};

// The case already paid at intake, so the payment worked later changes no step and adds no checklist event.
const WORKED_CASE_ACTIONS = [
  'case.reported',
  'case.checklist_changed',
  'case.identifier_added',
  'case.payment_added',
  'case.reference_added',
  'case.note_added',
  'evidence.captured',
  'evidence.handed_over',
  'case.transitioned',
  'case.transferred',
  'case.transitioned',
];

describe('GET /v1/cases/{caseId}/timeline', () => {
  it('shows the report and then every change made to the case, in order, with who made it and what changed', async () => {
    const tenant = await createTestTenant();
    const officers = await officersOf(tenant);
    const reported = await reportTestCase(tenant);
    const made = await workTheCase(tenant, reported.id, officers);

    const entries = await wholeTimeline(reported.id, officers.cyber);
    expect(actions(entries)).toEqual(WORKED_CASE_ACTIONS);
    const sequences = entries.map((entry) => entry.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(entries.map((entry) => entry.at)).toEqual([...entries.map((entry) => entry.at)].sort());

    expect(entries.map(({ target, actor }) => [target.type, target.id, actor.subject])).toEqual([
      ['case', reported.id, 'officer-1'],
      ['case', reported.id, 'officer-1'],
      ['case_identifier', made.identifier.id, 'psi.jadhav'],
      ['case_payment', made.payment.id, 'psi.jadhav'],
      ['case_reference', made.reference.id, 'psi.jadhav'],
      ['case_note', made.note.id, 'psi.jadhav'],
      ['evidence', made.evidence.id, 'psi.jadhav'],
      ['evidence', made.evidence.id, 'psi.jadhav'],
      ['case', reported.id, 'psi.jadhav'],
      ['case', reported.id, 'pi.kulkarni'],
      ['case', reported.id, 'psi.more'],
    ]);
    expect(entries[0]).toMatchObject({ actor: { roles: ['duty_officer'] }, changes: { status: 'reported', stationCode: tenant.stationCodes[0], identifiers: 3, payments: 1 } });
    expect(entries[1]).toMatchObject({ actor: { roles: ['duty_officer'] } });
    expect(entries[1]!.changes).toEqual(INTAKE_CHECKLIST);
    expect(entries[2]!.changes).toEqual({ kind: 'phone', value: '+919812345610' });
    expect(entries[3]!.changes).toMatchObject({ amount: '3000', currency: 'INR', method: 'upi', payee: 'cash.king@paytm' });
    expect(entries[5]).toMatchObject({ note: 'Victim counselled; advised not to pay again.' });
    expect(entries[6]!.changes).toMatchObject({ sha256: made.evidence.sha256, hashOrigin: 'computed' });
    expect(entries[7]!.changes).toMatchObject({ custodyEventId: made.custody.event.id, to: { name: 'Malkhana in-charge' } });
    expect(entries[8]!.changes).toEqual({ from: 'reported', to: 'triaged', reason: null, closureReason: null });
    expect(entries[9]!.changes).toEqual({ from: tenant.stationCodes[0], to: tenant.stationCodes[3], reason: 'Minor victim: cyber crime station' });
    expect(entries[10]!.changes).toEqual({ from: 'transferred', to: 'under_investigation', reason: 'Taken up', closureReason: null });
    expect(entries.filter((entry) => entry.action !== 'case.note_added').every((entry) => entry.note === null)).toBe(true);
  });

  it('shows no event of another case, even one of the same station worked at the same time', async () => {
    const tenant = await createTestTenant();
    const officers = await officersOf(tenant);
    const [first, second] = [await reportTestCase(tenant), await reportTestCase(tenant)];
    const [madeFirst, madeSecond] = await Promise.all([workTheCase(tenant, first.id, officers), workTheCase(tenant, second.id, officers)]);

    const ofFirst = await wholeTimeline(first.id, officers.cyber);
    const ofSecond = await wholeTimeline(second.id, officers.cyber);
    expect(actions(ofFirst)).toEqual(WORKED_CASE_ACTIONS);
    expect(actions(ofSecond)).toEqual(WORKED_CASE_ACTIONS);
    const idsOf = (caseId: string, made: typeof madeFirst) => [caseId, made.identifier.id, made.payment.id, made.reference.id, made.note.id, made.evidence.id];
    expect(ofFirst.every((entry) => idsOf(first.id, madeFirst).includes(entry.target.id))).toBe(true);
    expect(ofSecond.every((entry) => idsOf(second.id, madeSecond).includes(entry.target.id))).toBe(true);
    const firstSequences = new Set(ofFirst.map((entry) => entry.sequence));
    expect(ofSecond.filter((entry) => firstSequences.has(entry.sequence))).toEqual([]);
    // Between them, the two timelines hold the unit's whole chain.
    expect((await verifyChain(tenant.unitCode)).eventsChecked).toBe(ofFirst.length + ofSecond.length);
  });

  it('pages with limit and cursor without skipping or repeating an entry', async () => {
    const tenant = await createTestTenant();
    const officers = await officersOf(tenant);
    const [reported, other] = [await reportTestCase(tenant), await reportTestCase(tenant)];
    await workTheCase(tenant, reported.id, officers);
    await post(`/v1/cases/${other.id}/notes`, officers.reporting, { body: 'Between the pages' });

    const whole = await wholeTimeline(reported.id, officers.cyber);
    const first = await timelinePage(reported.id, officers.cyber, '?limit=3');
    expect(first.data).toEqual(whole.slice(0, 3));
    expect(first.pagination).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
    const second = await timelinePage(reported.id, officers.cyber, `?limit=3&cursor=${first.pagination.nextCursor}`);
    expect(second.data).toEqual(whole.slice(3, 6));

    expect(whole).toHaveLength(WORKED_CASE_ACTIONS.length);
    for (const size of [1, 3, 4, whole.length - 1, whole.length]) expect(await wholeTimeline(reported.id, officers.cyber, size), `limit ${size}`).toEqual(whole);
    const exact = await timelinePage(reported.id, officers.cyber, `?limit=${whole.length}`);
    expect(exact).toEqual({ data: whole, pagination: { hasMore: false, nextCursor: null } });

    await expectProblem(await api(`/v1/cases/${reported.id}/timeline?cursor=bm90LWpzb24`, { token: officers.cyber }), 400, 'invalid_cursor');
    for (const limit of ['0', '201', 'ten']) {
      const problem = await expectProblem(await api(`/v1/cases/${reported.id}/timeline?limit=${limit}`, { token: officers.cyber }), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/query/limit']);
    }
  });

  it('is read by the station that held the case before its transfer, and (masked) by its districts, the unit and its auditor', async () => {
    const tenant = await createTestTenant();
    const officers = await officersOf(tenant);
    const reported = await reportTestCase(tenant);
    await workTheCase(tenant, reported.id, officers);
    const whole = await wholeTimeline(reported.id, officers.cyber);
    expect(await wholeTimeline(reported.id, officers.reporting)).toEqual(whole);

    // They read the case masked, and so its timeline: a note's text is withheld (tests/routes/cases/case-timeline-masking.test.ts).
    const masked = whole.map((entry) => (entry.action === 'case.note_added' ? { ...entry, note: '(withheld: needs personal:read)' } : entry));
    for (const token of [
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
      await tokenFor.unit(tenant.unitCode),
      await tokenFor.auditor(tenant.unitCode),
    ]) {
      expect(await wholeTimeline(reported.id, token)).toEqual(masked);
    }
  });

  it('answers 404 to another unit, a station and a district that never held the case, and for an unknown case', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    await post(`/v1/cases/${reported.id}/notes`, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), { body: 'Not for other eyes' });

    for (const token of [
      await tokenFor.station(other.unitCode, other.stationCodes[0]),
      await tokenFor.unit(other.unitCode),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
    ]) {
      const problem = await expectProblem(await api(`/v1/cases/${reported.id}/timeline`, { token }), 404, 'not_found');
      expect(JSON.stringify(problem)).not.toContain('Not for other eyes');
    }
    await expectProblem(await api(`/v1/cases/${crypto.randomUUID()}/timeline`, { token: await tokenFor.unit(tenant.unitCode) }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${reported.id}/timeline`), 401, 'unauthorized');
    await expectProblem(await api(`/v1/cases/${reported.id}/timeline`, { token: await tokenFor.platform() }), 403, 'forbidden');
  });
});

describe('the case timeline in the audit chain', () => {
  it('verifies intact while untouched, and names an event moved to another case as the first broken link', async () => {
    const tenant = await createTestTenant();
    const officers = await officersOf(tenant);
    const [reported, other] = [await reportTestCase(tenant), await reportTestCase(tenant)];
    await workTheCase(tenant, reported.id, officers);
    const before = await wholeTimeline(reported.id, officers.cyber);
    // The other case adds its report and its checklist to the unit's chain.
    const total = before.length + 2;
    expect(await verifyChain(tenant.unitCode)).toEqual({ intact: true, eventsChecked: total, firstBrokenSequence: null, problem: null });

    const moved = before.find((entry) => entry.action === 'case.note_added')!;
    expect(await asOwner(sql`update audit_events set case_id = ${other.id} where unit_id = ${unitId(tenant.unitCode)} and sequence = ${moved.sequence}`)).toBe(1);

    expect(await verifyChain(tenant.unitCode)).toEqual({
      intact: false,
      eventsChecked: total,
      firstBrokenSequence: moved.sequence,
      problem: 'this event was altered after it was recorded',
    });
    // What the forger achieved: the note now shows on the other case's timeline.
    expect(actions(await wholeTimeline(other.id, officers.reporting))).toEqual(['case.reported', 'case.checklist_changed', 'case.note_added']);
  });

  it('names an event taken off its case (case_id cleared) as broken', async () => {
    const tenant = await createTestTenant();
    const officers = await officersOf(tenant);
    const reported = await reportTestCase(tenant);
    await workTheCase(tenant, reported.id, officers);
    const before = await wholeTimeline(reported.id, officers.cyber);
    const hidden = before.find((entry) => entry.action === 'evidence.handed_over')!;
    expect(await asOwner(sql`update audit_events set case_id = null where unit_id = ${unitId(tenant.unitCode)} and sequence = ${hidden.sequence}`)).toBe(1);

    expect(actions(await wholeTimeline(reported.id, officers.cyber))).not.toContain('evidence.handed_over');
    expect(await verifyChain(tenant.unitCode)).toMatchObject({ intact: false, firstBrokenSequence: hidden.sequence, problem: 'this event was altered after it was recorded' });
  });

  it('names a case event whose changes were edited as the first broken link, and only that unit\'s chain', async () => {
    const [tenant, bystander] = await Promise.all([createTestTenant(), createTestTenant()]);
    const officers = await officersOf(tenant);
    const reported = await reportTestCase(tenant);
    await workTheCase(tenant, reported.id, officers);
    const bystanderCase = await reportTestCase(bystander);
    await workTheCase(bystander, bystanderCase.id, await officersOf(bystander));

    const before = await wholeTimeline(reported.id, officers.cyber);
    const payment = before.find((entry) => entry.action === 'case.payment_added')!;
    const edited = await asOwner(
      sql`update audit_events set changes = jsonb_set(changes, '{amount}', '"300"') where unit_id = ${unitId(tenant.unitCode)} and sequence = ${payment.sequence}`,
    );
    expect(edited).toBe(1);
    expect((await wholeTimeline(reported.id, officers.cyber)).find((entry) => entry.sequence === payment.sequence)!.changes).toMatchObject({ amount: '300' });

    expect(await verifyChain(tenant.unitCode)).toEqual({
      intact: false,
      eventsChecked: before.length,
      firstBrokenSequence: payment.sequence,
      problem: 'this event was altered after it was recorded',
    });
    expect(await verifyChain(bystander.unitCode)).toEqual({ intact: true, eventsChecked: WORKED_CASE_ACTIONS.length, firstBrokenSequence: null, problem: null });
  });
});
