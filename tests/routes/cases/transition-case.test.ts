import { describe, expect, it } from 'vitest';
import { addReferenceRoute } from '../../../src/routes/cases/add-reference.js';
import { caseSchema } from '../../../src/routes/cases/case-schema.js';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { getCaseTimelineRoute } from '../../../src/routes/cases/get-case-timeline.js';
import { transitionCaseRoute } from '../../../src/routes/cases/transition-case.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';

function transition(caseId: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(`/v1/cases/${caseId}/transitions`, { method: 'POST', token, body, headers });
}

async function moved(caseId: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return parseResponse(transitionCaseRoute, 200, await transition(caseId, token, body, headers));
}

async function readCase(caseId: string, token: string) {
  return parseResponse(getCaseRoute, 200, await api(`/v1/cases/${caseId}`, { token }));
}

/** A fresh unit, a case reported at its first station, and that station's investigating officer and station house officer. */
async function caseAtStation() {
  const tenant = await createTestTenant();
  const reported = await reportTestCase(tenant);
  const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
  const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
  return { tenant, caseId: reported.id, officer, sho };
}

async function caseTransitions(tenant: TestTenant, caseId: string) {
  const trail = await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode));
  return trail.filter((event) => event.action === 'case.transitioned' && event.target.id === caseId);
}

function addFir(caseId: string, token: string) {
  return api(`/v1/cases/${caseId}/references`, { method: 'POST', token, body: { kind: 'fir', value: '0123/2026', sections: ['IT Act 66E', 'BNS 308(2)'] } });
}

describe('allowedTransitions on a case', () => {
  it('names only the moves the caller may make: an officer works, a supervisor also closes and reopens', async () => {
    const { tenant, caseId, officer, sho } = await caseAtStation();
    expect((await readCase(caseId, officer)).allowedTransitions).toEqual(['triaged', 'under_investigation']);
    expect((await readCase(caseId, sho)).allowedTransitions).toEqual(['triaged', 'under_investigation', 'closed']);
    // The district supervisor supervises but does not work cases: closing only.
    expect((await readCase(caseId, await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]))).allowedTransitions).toEqual(['closed']);
    const closed = await moved(caseId, sho, { to: 'closed', closureReason: 'duplicate', reason: 'Reported twice' });
    expect(closed.allowedTransitions).toEqual(['under_investigation']);
    expect((await readCase(caseId, officer)).allowedTransitions).toEqual([]);
  });
});

describe('POST /v1/cases/{caseId}/transitions', () => {
  it('moves a case reported → triaged → under_investigation, one version at a time', async () => {
    const { tenant, caseId, officer } = await caseAtStation();
    const triagedResponse = await transition(caseId, officer, { to: 'triaged', reason: 'Victim and parent interviewed' });
    expect(triagedResponse.headers.get('etag')).toBe('"v2"');
    // Only the published fields: no internal ids or the previous status the statement returns.
    expect(Object.keys((await triagedResponse.clone().json()) as object).sort()).toEqual(Object.keys(caseSchema.shape).sort());
    const triaged = await parseResponse(transitionCaseRoute, 200, triagedResponse);
    expect(triaged).toMatchObject({ id: caseId, status: 'triaged', version: 2, station: { code: tenant.stationCodes[0] }, closure: null, personalData: 'full' });

    const investigating = await moved(caseId, officer, { to: 'under_investigation' });
    expect(investigating).toMatchObject({ status: 'under_investigation', version: 3 });
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'under_investigation', version: 3 });
  });

  it('registers the FIR only once an FIR reference is on the case (409 fir_reference_missing before)', async () => {
    const { caseId, officer } = await caseAtStation();
    await moved(caseId, officer, { to: 'under_investigation' });

    const missing = await expectProblem(await transition(caseId, officer, { to: 'fir_registered' }), 409, 'fir_reference_missing');
    expect(missing).toMatchObject({ currentStatus: 'under_investigation', allowedTransitions: ['fir_registered', 'closed'] });
    // Another kind of reference is not an FIR.
    const ticket = await api(`/v1/cases/${caseId}/references`, { method: 'POST', token: officer, body: { kind: 'helpline_ticket', value: '1930-2026-000123' } });
    expect(ticket.status).toBe(201);
    await expectProblem(await transition(caseId, officer, { to: 'fir_registered' }), 409, 'fir_reference_missing');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'under_investigation', version: 2 });

    const fir = await parseResponse(addReferenceRoute, 201, await addFir(caseId, officer));
    expect(fir).toMatchObject({ kind: 'fir', value: '0123/2026', sections: ['IT Act 66E', 'BNS 308(2)'] });
    const registered = await moved(caseId, officer, { to: 'fir_registered' });
    expect(registered.status).toBe('fir_registered');
    expect(registered.references).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'fir', value: '0123/2026', sections: ['IT Act 66E', 'BNS 308(2)'] })]));
  });

  it('refuses a move the workflow does not allow (409 illegal_transition naming the allowed ones), and changes nothing', async () => {
    const { caseId, officer } = await caseAtStation();
    const problem = await expectProblem(await transition(caseId, officer, { to: 'fir_registered' }), 409, 'illegal_transition');
    expect(problem.currentStatus).toBe('reported');
    expect(problem.allowedTransitions).toEqual(['triaged', 'under_investigation', 'closed']);

    await moved(caseId, officer, { to: 'under_investigation' });
    const backwards = await expectProblem(await transition(caseId, officer, { to: 'triaged' }), 409, 'illegal_transition');
    expect(backwards).toMatchObject({ currentStatus: 'under_investigation', allowedTransitions: ['fir_registered', 'closed'] });
    // Moving to where it already is, is not a move either.
    await expectProblem(await transition(caseId, officer, { to: 'under_investigation' }), 409, 'illegal_transition');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'under_investigation', version: 2 });
  });

  it('refuses a status that is not a transition target, or an unknown member (400)', async () => {
    const { caseId, officer } = await caseAtStation();
    for (const to of ['transferred', 'reported', 'archived']) {
      const problem = await expectProblem(await transition(caseId, officer, { to }), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/to']);
    }
    await expectProblem(await transition(caseId, officer, { to: 'triaged', status: 'closed' }), 400, 'validation_failed');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'reported', version: 1 });
  });

  it('asks for a closure reason when, and only when, closing (400)', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    const withoutReason = await expectProblem(await transition(caseId, sho, { to: 'closed' }), 400, 'validation_failed');
    expect(withoutReason.errors?.map((error) => error.pointer)).toEqual(['/body/closureReason']);
    const notClosing = await expectProblem(await transition(caseId, officer, { to: 'triaged', closureReason: 'duplicate' }), 400, 'validation_failed');
    expect(notClosing.errors?.map((error) => error.pointer)).toEqual(['/body/closureReason']);
    await expectProblem(await transition(caseId, sho, { to: 'closed', closureReason: 'solved' }), 400, 'validation_failed');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'reported', version: 1, closure: null });
  });

  it('lets the station house officer close a case with its reason, but not an investigating officer (403)', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    await moved(caseId, officer, { to: 'under_investigation' });
    await expectProblem(await transition(caseId, officer, { to: 'closed', closureReason: 'complainant_withdrew' }), 403, 'forbidden');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'under_investigation', closure: null });

    const closed = await moved(caseId, sho, { to: 'closed', closureReason: 'complainant_withdrew', reason: 'Written withdrawal on file' });
    expect(closed).toMatchObject({ status: 'closed', version: 3, closure: { reason: 'complainant_withdrew', closedAt: expect.any(String) } });
    expect(Number.isNaN(Date.parse(closed.closure!.closedAt))).toBe(false);
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'closed', closure: closed.closure });
  });

  it('lets only the station house officer reopen a closed case, and only to investigation', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    await moved(caseId, sho, { to: 'closed', closureReason: 'duplicate' });

    await expectProblem(await transition(caseId, officer, { to: 'under_investigation', reason: 'New video surfaced' }), 403, 'forbidden');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'closed', version: 2 });
    const sideways = await expectProblem(await transition(caseId, sho, { to: 'triaged' }), 409, 'illegal_transition');
    expect(sideways).toMatchObject({ currentStatus: 'closed', allowedTransitions: ['under_investigation'] });

    const reopened = await moved(caseId, sho, { to: 'under_investigation', reason: 'New video surfaced' });
    expect(reopened).toMatchObject({ status: 'under_investigation', version: 3, closure: null });
  });

  it("lets the supervisor of the case's district close and reopen it, as the workflow makes it a supervisor's call too", async () => {
    const { tenant, caseId, officer } = await caseAtStation();
    const supervisor = await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]);
    const closed = await moved(caseId, supervisor, { to: 'closed', closureReason: 'duplicate' });
    expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'duplicate' }, personalData: 'masked' });
    // Another district's supervisor does not see the case at all.
    await expectProblem(await transition(caseId, await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]), { to: 'under_investigation' }), 404, 'not_found');
    expect(await moved(caseId, supervisor, { to: 'under_investigation', reason: 'Not a duplicate after all' })).toMatchObject({ status: 'under_investigation', closure: null });
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'under_investigation', version: 3 });
  });

  it('takes If-Match as a choice: absent or current is fine, stale is 412, malformed is 400', async () => {
    const { caseId, officer } = await caseAtStation();
    const triaged = await transition(caseId, officer, { to: 'triaged' }, { 'If-Match': '"v1"' });
    expect(triaged.status).toBe(200);
    expect(triaged.headers.get('etag')).toBe('"v2"');

    await expectProblem(await transition(caseId, officer, { to: 'under_investigation' }, { 'If-Match': '"v1"' }), 412, 'precondition_failed');
    const malformed = await expectProblem(await transition(caseId, officer, { to: 'under_investigation' }, { 'If-Match': 'v2' }), 400, 'validation_failed');
    expect(malformed.errors?.map((error) => error.pointer)).toEqual(['/header/if-match']);
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'triaged', version: 2 });

    expect(await moved(caseId, officer, { to: 'under_investigation' }, { 'If-Match': '"v2"' })).toMatchObject({ status: 'under_investigation', version: 3 });
  });

  it('replays a retry with the same Idempotency-Key (200, same body, one audit event) and refuses the key for another move (422)', async () => {
    const { tenant, caseId, officer } = await caseAtStation();
    const key = crypto.randomUUID();
    const firstResponse = await transition(caseId, officer, { to: 'triaged', reason: 'Screened' }, { 'Idempotency-Key': key });
    const first = await parseResponse(transitionCaseRoute, 200, firstResponse);
    const retryResponse = await transition(caseId, officer, { to: 'triaged', reason: 'Screened' }, { 'Idempotency-Key': key });
    const retry = await parseResponse(transitionCaseRoute, 200, retryResponse);
    expect(retry).toEqual(first);
    expect(retryResponse.headers.get('etag')).toBe('"v2"');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'triaged', version: 2 });
    expect(await caseTransitions(tenant, caseId)).toHaveLength(1);

    await expectProblem(await transition(caseId, officer, { to: 'under_investigation' }, { 'Idempotency-Key': key }), 422, 'idempotency_key_reused');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'triaged', version: 2 });
    expect(await caseTransitions(tenant, caseId)).toHaveLength(1);
  });

  it("answers another unit's officer and another station of the same unit 404, and changes nothing", async () => {
    const { tenant, caseId, officer } = await caseAtStation();
    const other = await createTestTenant();
    const officers = [await tokenFor.station(other.unitCode, other.stationCodes[0]), await tokenFor.station(tenant.unitCode, tenant.stationCodes[1])];
    const stationHouseOfficers = [
      await tokenFor.station(other.unitCode, other.stationCodes[0], 'station_house_officer'),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[2], 'station_house_officer'),
    ];
    for (const token of [...officers, ...stationHouseOfficers]) {
      await expectProblem(await transition(caseId, token, { to: 'triaged' }), 404, 'not_found');
    }
    for (const token of stationHouseOfficers) {
      await expectProblem(await transition(caseId, token, { to: 'closed', closureReason: 'duplicate' }), 404, 'not_found');
    }
    await expectProblem(await transition(crypto.randomUUID(), officer, { to: 'triaged' }), 404, 'not_found');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'reported', version: 1 });
    expect(await caseTransitions(tenant, caseId)).toEqual([]);
  });

  it('needs cases:work for an ordinary move: a supervisor above the station, an administrator or an auditor may not triage a case (403)', async () => {
    const { tenant, caseId, officer } = await caseAtStation();
    for (const token of [await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), await tokenFor.unit(tenant.unitCode), await tokenFor.auditor(tenant.unitCode)]) {
      await expectProblem(await transition(caseId, token, { to: 'triaged' }), 403, 'forbidden');
    }
    await expectProblem(await api(`/v1/cases/${caseId}/transitions`, { method: 'POST', body: { to: 'triaged' } }), 401, 'unauthorized');
    expect(await readCase(caseId, officer)).toMatchObject({ status: 'reported', version: 1 });
  });

  it('records every move with from and to in the audit trail and on the case timeline', async () => {
    const { tenant, caseId, officer, sho } = await caseAtStation();
    await moved(caseId, officer, { to: 'triaged', reason: 'Screened at the desk' });
    await moved(caseId, sho, { to: 'closed', closureReason: 'no_cognizable_offence' });

    const events = await caseTransitions(tenant, caseId);
    expect(events.map((event) => event.changes)).toEqual([
      { from: 'reported', to: 'triaged', reason: 'Screened at the desk', closureReason: null },
      {
        from: 'triaged',
        to: 'closed',
        reason: null,
        closureReason: 'no_cognizable_offence',
        // Closing retires the pending SOP steps; the event names them.
        stepsRetired: [
          'action-taken-report', 'bank-trail', 'block-reuploads-minor', 'platform-preservation.instagram', 'platform-preservation.whatsapp',
          'platform-takedown.instagram', 'platform-takedown.whatsapp', 'pocso-report', 'preserve-evidence',
          'register-fir', 'report-1930', 'sim-imei-block', 'stop-the-harm', 'victim-safety',
        ],
      },
    ]);
    expect(events.map((event) => event.target)).toEqual([{ type: 'case', id: caseId }, { type: 'case', id: caseId }]);
    expect(events.map((event) => event.actor.roles)).toEqual([['investigating_officer'], ['station_house_officer']]);

    const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline`, { token: officer }));
    const moves = timeline.data.filter((entry) => entry.action === 'case.transitioned');
    expect(moves.map((entry) => [entry.changes.from, entry.changes.to])).toEqual([
      ['reported', 'triaged'],
      ['triaged', 'closed'],
    ]);
  });
});
