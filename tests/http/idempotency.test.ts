import { beforeEach, describe, expect, it } from 'vitest';
import { addNoteRoute } from '../../src/routes/cases/add-note.js';
import { reportCaseRoute } from '../../src/routes/cases/report-case.js';
import { transferCaseRoute } from '../../src/routes/cases/transfer-case.js';
import { createDistrictRoute } from '../../src/routes/districts/create-district.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { intake } from '../support/cases.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant } from '../support/tenants.js';
import { clientToken, signToken, tokenFor } from '../support/tokens.js';

function createDistrict(unitCode: string, token: string, body: unknown, key?: string) {
  return api(`/v1/units/${unitCode}/districts`, { method: 'POST', token, body, headers: key ? { 'Idempotency-Key': key } : {} });
}

async function districtCodes(unitCode: string, token: string): Promise<string[]> {
  const response = await api(`/v1/units/${unitCode}/districts?limit=200`, { token });
  return ((await response.json()) as { data: Array<{ code: string }> }).data.map((district) => district.code);
}

describe('Idempotency-Key on creates', () => {
  it('replays the first response to a retry, and changes nothing twice', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const body = { code: `${tenant.unitCode}-EAST`, name: 'East', kind: 'district' };
    const key = crypto.randomUUID();
    const first = await parseResponse(createDistrictRoute, 201, await createDistrict(tenant.unitCode, token, body, key));
    const retry = await parseResponse(createDistrictRoute, 201, await createDistrict(tenant.unitCode, token, body, key));
    expect(retry).toEqual(first);
    expect((await districtCodes(tenant.unitCode, token)).filter((code) => code === body.code)).toHaveLength(1);
    const created = (await auditTrail(tenant.unitCode, token)).filter((event) => event.action === 'district.created');
    expect(created).toHaveLength(1);
  });

  it('refuses the same key with another body (422)', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const key = crypto.randomUUID();
    expect((await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-EAST`, name: 'East' }, key)).status).toBe(201);
    await expectProblem(await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-WEST`, name: 'West' }, key), 422, 'idempotency_key_reused');
    expect(await districtCodes(tenant.unitCode, token)).not.toContain(`${tenant.unitCode}-WEST`);
  });

  it('creates exactly one object from 20 parallel identical requests', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const body = { code: `${tenant.unitCode}-PARALLEL`, name: 'Parallel' };
    const key = crypto.randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => createDistrict(tenant.unitCode, token, body, key)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409), statuses.join(',')).toBe(true);
    expect(statuses).toContain(201);
    const bodies = await Promise.all(responses.filter((response) => response.status === 201).map((response) => response.json()));
    expect(new Set(bodies.map((created) => JSON.stringify(created))).size).toBe(1);
    for (const response of responses.filter((response) => response.status === 409)) {
      expect(((await response.json()) as { code: string }).code).toBe('idempotency_key_in_use');
    }
    expect((await districtCodes(tenant.unitCode, token)).filter((code) => code === body.code)).toHaveLength(1);
  });

  it('keeps keys per caller and per tenancy: the same key in another unit is a new key there', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const key = crypto.randomUUID();
    const alice = await signToken({ sub: 'admin-alice', roles: ['unit_admin'], unit: tenant.unitCode });
    const bob = await signToken({ sub: 'admin-bob', roles: ['unit_admin'], unit: tenant.unitCode });
    expect((await createDistrict(tenant.unitCode, alice, { code: `${tenant.unitCode}-ALICE`, name: 'A' }, key)).status).toBe(201);
    expect((await createDistrict(tenant.unitCode, bob, { code: `${tenant.unitCode}-BOB`, name: 'B' }, key)).status).toBe(201);
    const aliceElsewhere = await signToken({ sub: 'admin-alice', roles: ['unit_admin'], unit: other.unitCode });
    const elsewhere = await parseResponse(createDistrictRoute, 201, await createDistrict(other.unitCode, aliceElsewhere, { code: `${other.unitCode}-ALICE`, name: 'A' }, key));
    expect(elsewhere.code).toBe(`${other.unitCode}-ALICE`);
    expect(await districtCodes(other.unitCode, aliceElsewhere)).toContain(`${other.unitCode}-ALICE`);
  });

  it('does not use the key up when nothing changed (404): the retry runs again', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const key = crypto.randomUUID();
    const body = { code: `${tenant.unitCode}-LATER-A`, name: 'Later', districtCode: `${tenant.unitCode}-LATER` };
    const createStation = () => api(`/v1/units/${tenant.unitCode}/stations`, { method: 'POST', token, body, headers: { 'Idempotency-Key': key } });
    await expectProblem(await createStation(), 404, 'not_found');
    expect((await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-LATER`, name: 'Later' })).status).toBe(201);
    expect((await createStation()).status).toBe(201);
    expect((await createStation()).status).toBe(201);
  });

  it('refuses a malformed key', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const problem = await expectProblem(await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-X`, name: 'X' }, 'has spaces in it'), 400, 'validation_failed');
    expect(problem.errors?.[0]?.pointer).toBe('/header/idempotency-key');
  });
});

/*
 * A key belongs to the caller as its token places it: the same subject at another station,
 * in another district or with other roles is another namespace, so a key used there is a new
 * key and never gets back what the first request made (issue 10).
 */
describe('Idempotency-Key owners: tenancy and roles', () => {
  // One body per test: intake() writes times relative to the clock, and a retry must send the same body.
  let body: ReturnType<typeof intake>;
  beforeEach(() => {
    body = intake();
  });
  const reportCase = (token: string, key: string) => api('/v1/cases', { method: 'POST', token, body, headers: { 'Idempotency-Key': key } });
  const addNote = (caseId: string, token: string, key: string) =>
    api(`/v1/cases/${caseId}/notes`, { method: 'POST', token, body: { body: 'Victim shared her home address: 12 Shivaji Nagar' }, headers: { 'Idempotency-Key': key } });
  const station = (unit: string, stationCode: string, sub: string, roles: string[] = ['duty_officer']) => signToken({ sub, roles, unit, station: stationCode });

  it('a key used at another station of the unit creates that station\'s own case, and never returns the first one', async () => {
    const tenant = await createTestTenant();
    const key = crypto.randomUUID();
    const atFirst = await station(tenant.unitCode, tenant.stationCodes[0], 'do-a');
    const atSecond = await station(tenant.unitCode, tenant.stationCodes[1], 'do-a');
    const first = await parseResponse(reportCaseRoute, 201, await reportCase(atFirst, key));
    await expectProblem(await api(`/v1/cases/${first.id}`, { token: atSecond }), 404, 'not_found');

    const response = await reportCase(atSecond, key);
    const text = await response.clone().text();
    const second = await parseResponse(reportCaseRoute, 201, response);
    expect(second.id).not.toBe(first.id);
    expect(second.station.code).toBe(tenant.stationCodes[1]);
    expect(text).not.toContain(first.id);
    // The first station's retry still gets its own first outcome.
    expect((await parseResponse(reportCaseRoute, 201, await reportCase(atFirst, key))).id).toBe(first.id);
    expect((await parseResponse(reportCaseRoute, 201, await reportCase(atSecond, key))).id).toBe(second.id);
  });

  it('a key used for a note at another station is a new key there: 404 for a case it cannot see, not the note', async () => {
    const tenant = await createTestTenant();
    const key = crypto.randomUUID();
    const atFirst = await station(tenant.unitCode, tenant.stationCodes[0], 'do-a');
    const atSecond = await station(tenant.unitCode, tenant.stationCodes[1], 'do-a');
    const reported = await parseResponse(reportCaseRoute, 201, await reportCase(atFirst, crypto.randomUUID()));
    const note = await parseResponse(addNoteRoute, 201, await addNote(reported.id, atFirst, key));

    const problem = await expectProblem(await addNote(reported.id, atSecond, key), 404, 'not_found');
    expect(JSON.stringify(problem)).not.toContain(note.id);
    expect(JSON.stringify(problem)).not.toContain('Shivaji Nagar');
    expect((await parseResponse(addNoteRoute, 201, await addNote(reported.id, atFirst, key))).id).toBe(note.id);
  });

  it('a key used by the same supervisor in another district is a new key there: 404, not the transferred case', async () => {
    const tenant = await createTestTenant();
    const key = crypto.randomUUID();
    const reported = await parseResponse(reportCaseRoute, 201, await reportCase(await station(tenant.unitCode, tenant.stationCodes[0], 'do-a'), crypto.randomUUID()));
    const supervisor = (district: string) => signToken({ sub: 'sp-a', roles: ['district_supervisor'], unit: tenant.unitCode, district });
    const transfer = async (district: string) =>
      api(`/v1/cases/${reported.id}/transfer`, {
        method: 'POST',
        token: await supervisor(district),
        body: { toStationCode: tenant.stationCodes[1], reason: 'Nearer the victim' },
        headers: { 'Idempotency-Key': key },
      });
    const moved = await parseResponse(transferCaseRoute, 200, await transfer(tenant.districtCodes[0]));
    expect(moved.station.code).toBe(tenant.stationCodes[1]);

    const problem = await expectProblem(await transfer(tenant.districtCodes[1]), 404, 'not_found');
    expect(JSON.stringify(problem)).not.toContain(tenant.stationCodes[1]);
    expect(await parseResponse(transferCaseRoute, 200, await transfer(tenant.districtCodes[0]))).toEqual(moved);
  });

  it('a key used by the same subject with other roles is a new key; the same roles in another order or a fresh token are the same owner', async () => {
    const tenant = await createTestTenant();
    const key = crypto.randomUUID();
    const [stationCode] = tenant.stationCodes;
    const first = await parseResponse(reportCaseRoute, 201, await reportCase(await station(tenant.unitCode, stationCode, 'do-a', ['duty_officer', 'investigating_officer']), key));
    const reordered = await station(tenant.unitCode, stationCode, 'do-a', ['investigating_officer', 'duty_officer']);
    expect((await parseResponse(reportCaseRoute, 201, await reportCase(reordered, key))).id).toBe(first.id);

    const asHouseOfficer = await station(tenant.unitCode, stationCode, 'do-a', ['station_house_officer']);
    const bySho = await parseResponse(reportCaseRoute, 201, await reportCase(asHouseOfficer, key));
    expect(bySho.id).not.toBe(first.id);

    // A machine client's keys follow its scopes: the same client and placement without personal:read is another owner.
    const placement = { station: stationCode };
    const withPersonalData = await parseResponse(reportCaseRoute, 201, await reportCase(await clientToken(tenant.unitCode, ['cases:read', 'cases:report', 'personal:read'], placement), key));
    const withoutPersonalData = await parseResponse(reportCaseRoute, 201, await reportCase(await clientToken(tenant.unitCode, ['cases:read', 'cases:report'], placement), key));
    expect(withoutPersonalData.id).not.toBe(withPersonalData.id);
    expect(withoutPersonalData.personalData).toBe('masked');
    expect(new Set([first.id, bySho.id, withPersonalData.id, withoutPersonalData.id]).size).toBe(4);
  });
});
