import { describe, expect, it } from 'vitest';
import { assignCaseRoute } from '../../../src/routes/cases/assign-case.js';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { listCasesRoute } from '../../../src/routes/cases/list-cases.js';
import { transferCaseRoute } from '../../../src/routes/cases/transfer-case.js';
import { transitionCaseRoute } from '../../../src/routes/cases/transition-case.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';

function transfer(caseId: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(`/v1/cases/${caseId}/transfer`, { method: 'POST', token, body, headers });
}

function transition(caseId: string, token: string, body: Record<string, unknown>) {
  return api(`/v1/cases/${caseId}/transitions`, { method: 'POST', token, body });
}

async function readCase(caseId: string, token: string) {
  return parseResponse(getCaseRoute, 200, await api(`/v1/cases/${caseId}`, { token }));
}

/** A case reported at the first station of a fresh unit, with that station's station house officer; the cyber station is stationCodes[3]. */
async function caseAtStation() {
  const tenant = await createTestTenant();
  const reported = await reportTestCase(tenant);
  const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
  const cyberStation = tenant.stationCodes[3];
  return { tenant, caseId: reported.id, sho, cyberStation, toCyber: { toStationCode: cyberStation, reason: 'Money traced to a mule account: cyber PS' } };
}

describe('POST /v1/cases/{caseId}/transfer', () => {
  it('hands the case to the cyber crime station: transferred, at its new station, unassigned', async () => {
    const { tenant, caseId, sho, cyberStation, toCyber } = await caseAtStation();
    const assigned = await api(`/v1/cases/${caseId}/assignee`, { method: 'PUT', token: sho, headers: { 'If-Match': '"v1"' }, body: { subject: 'psi.patil', name: 'PSI A. Patil' } });
    expect((await parseResponse(assignCaseRoute, 200, assigned)).assignedOfficer).toEqual({ subject: 'psi.patil', name: 'PSI A. Patil' });

    const response = await transfer(caseId, sho, toCyber);
    expect(response.headers.get('etag')).toBe('"v3"');
    const transferred = await parseResponse(transferCaseRoute, 200, response);
    expect(transferred).toMatchObject({
      id: caseId,
      status: 'transferred',
      station: { code: cyberStation },
      reportedStation: { code: tenant.stationCodes[0] },
      assignedOfficer: null,
      version: 3,
    });

    const events = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'case.transferred' && event.target.id === caseId);
    expect(events.map((event) => event.changes)).toEqual([{ from: tenant.stationCodes[0], to: cyberStation, reason: toCyber.reason }]);
  });

  it('lets the new station work the case, and the old one read it but no longer change it (403 not_case_holder)', async () => {
    const { tenant, caseId, sho, cyberStation, toCyber } = await caseAtStation();
    await parseResponse(transferCaseRoute, 200, await transfer(caseId, sho, toCyber));
    const cyberOfficer = await tokenFor.station(tenant.unitCode, cyberStation);
    const oldOfficer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);

    const triaged = await parseResponse(transitionCaseRoute, 200, await transition(caseId, cyberOfficer, { to: 'triaged', reason: 'Taken up at cyber PS' }));
    expect(triaged).toMatchObject({ status: 'triaged', station: { code: cyberStation }, version: 3 });

    expect(await readCase(caseId, oldOfficer)).toMatchObject({ status: 'triaged', station: { code: cyberStation }, version: 3 });
    const refused = await expectProblem(await transition(caseId, oldOfficer, { to: 'under_investigation' }), 403, 'not_case_holder');
    expect(refused.detail).toContain(cyberStation);
    await expectProblem(await transfer(caseId, sho, { toStationCode: tenant.stationCodes[0], reason: 'Taking it back' }), 403, 'not_case_holder');
    await expectProblem(
      await api(`/v1/cases/${caseId}/assignee`, { method: 'PUT', token: sho, headers: { 'If-Match': '*' }, body: { subject: 'psi.patil', name: 'PSI A. Patil' } }),
      403,
      'not_case_holder',
    );
    expect(await readCase(caseId, cyberOfficer)).toMatchObject({ status: 'triaged', station: { code: cyberStation }, version: 3 });

    // The old station lists it among the cases it held, not among the ones it holds.
    const holds = await parseResponse(listCasesRoute, 200, await api('/v1/cases', { token: oldOfficer }));
    expect(holds.data.map((item) => item.id)).not.toContain(caseId);
    const held = await parseResponse(listCasesRoute, 200, await api('/v1/cases?holder=any', { token: oldOfficer }));
    expect(held.data.map((item) => item.id)).toContain(caseId);
    const cyberList = await parseResponse(listCasesRoute, 200, await api('/v1/cases', { token: cyberOfficer }));
    expect(cyberList.data.map((item) => item.id)).toEqual([caseId]);
  });

  it('refuses a station that does not exist, or one of another unit (404), and changes nothing', async () => {
    const { tenant, caseId, sho } = await caseAtStation();
    const other = await createTestTenant();
    const unknown = await expectProblem(await transfer(caseId, sho, { toStationCode: `${tenant.unitCode}-NOWHERE`, reason: 'Wrong code' }), 404, 'not_found');
    expect(unknown.detail).toContain(`${tenant.unitCode}-NOWHERE`);
    await expectProblem(await transfer(caseId, sho, { toStationCode: other.stationCodes[3], reason: 'Other unit' }), 404, 'not_found');
    expect(await readCase(caseId, sho)).toMatchObject({ status: 'reported', station: { code: tenant.stationCodes[0] }, version: 1 });
  });

  it('refuses a transfer to the station that holds the case (409 already_there)', async () => {
    const { tenant, caseId, sho } = await caseAtStation();
    await expectProblem(await transfer(caseId, sho, { toStationCode: tenant.stationCodes[0], reason: 'Stay' }), 409, 'already_there');
    expect(await readCase(caseId, sho)).toMatchObject({ status: 'reported', version: 1 });
  });

  it('does not transfer a closed case (409 case_closed)', async () => {
    const { caseId, sho, toCyber, tenant } = await caseAtStation();
    await parseResponse(transitionCaseRoute, 200, await transition(caseId, sho, { to: 'closed', closureReason: 'duplicate' }));
    await expectProblem(await transfer(caseId, sho, toCyber), 409, 'case_closed');
    expect(await readCase(caseId, sho)).toMatchObject({ status: 'closed', station: { code: tenant.stationCodes[0] }, version: 2 });
  });

  it('is the station house officer\'s call, not an investigating or duty officer\'s (403)', async () => {
    const { tenant, caseId, toCyber } = await caseAtStation();
    for (const role of ['investigating_officer', 'duty_officer'] as const) {
      await expectProblem(await transfer(caseId, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], role), toCyber), 403, 'forbidden');
    }
    await expectProblem(await transfer(caseId, await tokenFor.auditor(tenant.unitCode), toCyber), 403, 'forbidden');
    expect(await readCase(caseId, await tokenFor.unit(tenant.unitCode))).toMatchObject({ status: 'reported', version: 1 });
  });

  it("lets the supervisor of the case's district transfer it, and answers another district's supervisor 404", async () => {
    const { tenant, caseId, cyberStation, toCyber } = await caseAtStation();
    const otherDistrict = await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]);
    await expectProblem(await transfer(caseId, otherDistrict, toCyber), 404, 'not_found');
    expect(await readCase(caseId, await tokenFor.unit(tenant.unitCode))).toMatchObject({ status: 'reported', version: 1 });

    const ownDistrict = await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]);
    const transferred = await parseResponse(transferCaseRoute, 200, await transfer(caseId, ownDistrict, toCyber));
    expect(transferred).toMatchObject({ status: 'transferred', station: { code: cyberStation }, personalData: 'masked' });
    // The receiving district now holds it too; the sending one still reads it, but no longer changes it.
    expect(await readCase(caseId, otherDistrict)).toMatchObject({ station: { code: cyberStation } });
    expect(await readCase(caseId, ownDistrict)).toMatchObject({ station: { code: cyberStation } });
    await expectProblem(await transfer(caseId, ownDistrict, { toStationCode: tenant.stationCodes[1], reason: 'Back to North' }), 403, 'not_case_holder');
  });

  it("answers another unit's station house officer 404", async () => {
    const { tenant, caseId, toCyber } = await caseAtStation();
    const other = await createTestTenant();
    const outsider = await tokenFor.station(other.unitCode, other.stationCodes[0], 'station_house_officer');
    await expectProblem(await transfer(caseId, outsider, toCyber), 404, 'not_found');
    await expectProblem(await transfer(caseId, outsider, { toStationCode: other.stationCodes[3], reason: 'Into my unit' }), 404, 'not_found');
    await expectProblem(await transfer(caseId, await tokenFor.unit(other.unitCode), toCyber), 404, 'not_found');
    expect(await readCase(caseId, await tokenFor.unit(tenant.unitCode))).toMatchObject({ status: 'reported', station: { code: tenant.stationCodes[0] }, version: 1 });
  });

  it('replays a retried transfer with the same Idempotency-Key (200, same body, one audit event)', async () => {
    const { tenant, caseId, sho, toCyber } = await caseAtStation();
    const key = crypto.randomUUID();
    const first = await parseResponse(transferCaseRoute, 200, await transfer(caseId, sho, toCyber, { 'Idempotency-Key': key }));
    const retry = await parseResponse(transferCaseRoute, 200, await transfer(caseId, sho, toCyber, { 'Idempotency-Key': key }));
    expect(retry).toEqual(first);
    await expectProblem(await transfer(caseId, sho, { ...toCyber, toStationCode: tenant.stationCodes[2] }, { 'Idempotency-Key': key }), 422, 'idempotency_key_reused');
    const events = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'case.transferred' && event.target.id === caseId);
    expect(events).toHaveLength(1);
    expect(await readCase(caseId, sho)).toMatchObject({ station: { code: toCyber.toStationCode }, version: 2 });
  });

  it('takes If-Match as a choice: a stale one is 412', async () => {
    const { caseId, sho, toCyber, cyberStation } = await caseAtStation();
    await parseResponse(transitionCaseRoute, 200, await transition(caseId, sho, { to: 'triaged' }));
    await expectProblem(await transfer(caseId, sho, toCyber, { 'If-Match': '"v1"' }), 412, 'precondition_failed');
    expect(await parseResponse(transferCaseRoute, 200, await transfer(caseId, sho, toCyber, { 'If-Match': '"v2"' }))).toMatchObject({ station: { code: cyberStation }, version: 3 });
  });
});
