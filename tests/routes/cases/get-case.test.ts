import { describe, expect, it } from 'vitest';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { transferCaseRoute } from '../../../src/routes/cases/transfer-case.js';
import { api, expectProblem } from '../../support/api.js';
import { reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { minutesAgo } from '../../support/clock.js';

async function getCase(caseId: string, token: string) {
  const response = await api(`/v1/cases/${caseId}`, { token });
  const body = await parseResponse(getCaseRoute, 200, response.clone());
  return { body, etag: response.headers.get('etag'), text: await response.text() };
}

async function transfer(tenant: TestTenant, caseId: string, from: number, to: number) {
  const response = await api(`/v1/cases/${caseId}/transfer`, {
    method: 'POST',
    token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[from]!, 'station_house_officer'),
    body: { toStationCode: tenant.stationCodes[to], reason: 'Payments over ₹1,000: the cyber crime police station traces the money' },
  });
  return parseResponse(transferCaseRoute, 200, response);
}

/** What no caller without personal:read may find anywhere in a response. */
const PERSONAL_DATA = ['Sunita', 'Deshmukh', 'Rohan', '9812345610', 'sunita.d@example.in', 'rohan@okhdfc', 'Flat 4', 'Met on Instagram'];

/** The case as recorded, leaving out what depends on who reads it (the moves open to them). */
const asRecorded = (body: object) => ({ ...body, allowedTransitions: undefined });

describe('GET /v1/cases/{caseId}', () => {
  it('gives the station officers the case as recorded, with its ETag', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    for (const role of ['investigating_officer', 'duty_officer', 'station_house_officer'] as const) {
      const { body, etag } = await getCase(reported.id, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], role));
      expect(etag).toBe('"v1"');
      expect(asRecorded(body)).toEqual(asRecorded(reported));
      expect(body.allowedTransitions).toEqual(role === 'station_house_officer' ? ['triaged', 'under_investigation', 'closed'] : ['triaged', 'under_investigation']);
    }
    const { body } = await getCase(reported.id, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]));
    expect(body).toMatchObject({
      personalData: 'full',
      complainant: { name: 'Sunita Deshmukh', phone: '+919812345610', email: 'sunita.d@example.in', relationToVictim: 'parent' },
      victim: { name: 'Rohan Deshmukh', age: 17, gender: 'male' },
      narrative: 'Met on Instagram; a video call was recorded; paid ₹5,000 by UPI.',
      references: [],
      evidence: [],
      assignedOfficer: null,
      closure: null,
      version: 1,
    });
    expect(body.payments).toEqual([expect.objectContaining({ payer: 'rohan@okhdfc', payee: 'quickcash@ybl' })]);
  });

  it('masks personal data for the district supervisor, the unit administrator and the auditor', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant, {
      complainant: { name: 'Sunita Deshmukh', phone: '98123 45610', email: 'sunita.d@example.in', address: 'Flat 4, Shivajinagar, Pune', relationToVictim: 'parent' },
      payments: [
        { amount: '5000', paidAt: minutesAgo(920), method: 'upi', reference: '433112345678', payer: 'rohan@okhdfc', payee: { kind: 'upi', value: 'QuickCash@YBL' } },
        { amount: '2000', paidAt: minutesAgo(90), method: 'wallet', payer: '98123 45610', payee: { kind: 'phone', value: '+91 70000 12345' } },
      ],
    });
    const callers = [
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.unit(tenant.unitCode),
      await tokenFor.auditor(tenant.unitCode),
      await tokenFor.client(tenant.unitCode, ['cases:read']),
    ];
    for (const token of callers) {
      const { body, etag, text } = await getCase(reported.id, token);
      expect(etag).toBe('"v1"');
      expect(body).toMatchObject({
        id: reported.id,
        personalData: 'masked',
        complainant: { name: 'S. D.', phone: '+91 98xxxxxx10', email: 's***@e***.in', address: '(withheld)', relationToVictim: 'parent' },
        victim: { name: 'R. D.', age: 17, gender: 'male' },
        narrative: '(withheld: needs personal:read)',
        amountPaid: '7000.00',
      });
      expect(body.payments).toEqual([
        expect.objectContaining({ amount: '5000.00', payer: 'ro********fc', payee: 'quickcash@ybl', reference: '433112345678' }),
        expect.objectContaining({ amount: '2000.00', payer: '+91 98xxxxxx10', payee: '+917000012345' }),
      ]);
      // Suspect identifiers are what supervisors act on: they stay as recorded.
      expect(body.identifiers.map((identifier) => identifier.value).sort()).toEqual(['+917000012345', 'instagram:priya.sharma_22', 'quickcash@ybl']);
      for (const personal of PERSONAL_DATA) expect(text).not.toContain(personal);
    }
  });

  it('shows personal data to an integration client granted personal:read', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const { body } = await getCase(reported.id, await tokenFor.client(tenant.unitCode, ['cases:read', 'personal:read']));
    expect(asRecorded(body)).toEqual(asRecorded(reported));
    // Reading is all it was granted.
    expect(body.allowedTransitions).toEqual([]);
  });

  it('answers 404 to another station, another district and another unit, as for a case that does not exist', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    const outsiders = [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[1], 'station_house_officer'),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[3]),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
      await tokenFor.unit(other.unitCode),
      await tokenFor.auditor(other.unitCode),
      await tokenFor.station(other.unitCode, other.stationCodes[0]),
      await tokenFor.client(other.unitCode, ['cases:read', 'personal:read']),
    ];
    for (const token of outsiders) {
      const problem = await expectProblem(await api(`/v1/cases/${reported.id}`, { token }), 404, 'not_found');
      expect(JSON.stringify(problem)).not.toContain('Sunita');
    }
    await expectProblem(await api(`/v1/cases/${crypto.randomUUID()}`, { token: await tokenFor.unit(tenant.unitCode) }), 404, 'not_found');
    // Still there for its own station.
    expect((await getCase(reported.id, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]))).body.id).toBe(reported.id);
  });

  it('answers 400 for an id that is not a UUID, pointing at the path', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    for (const id of ['not-a-uuid', '12345', `${crypto.randomUUID()}x`]) {
      const problem = await expectProblem(await api(`/v1/cases/${id}`, { token }), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/path/caseId']);
    }
  });

  it('keeps a transferred case readable by the stations and districts that held it', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const transferred = await transfer(tenant, reported.id, 0, 3);
    expect(transferred).toMatchObject({ status: 'transferred', station: { code: tenant.stationCodes[3] }, reportedStation: { code: tenant.stationCodes[0] }, version: 2 });

    // The station that held it reads it but moves it no more; the one holding it now takes it up.
    const readers = [
      { token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), moves: [] },
      { token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[3]), moves: ['triaged', 'under_investigation', 'fir_registered'] },
    ];
    for (const { token, moves } of readers) {
      const { body, etag } = await getCase(reported.id, token);
      expect(etag).toBe('"v2"');
      expect(asRecorded(body)).toEqual(asRecorded(transferred));
      expect(body).toMatchObject({ personalData: 'full', complainant: { name: 'Sunita Deshmukh' } });
      expect(body.allowedTransitions).toEqual(moves);
    }
    for (const district of tenant.districtCodes) {
      const { body } = await getCase(reported.id, await tokenFor.district(tenant.unitCode, district));
      expect(body).toMatchObject({ station: { code: tenant.stationCodes[3] }, personalData: 'masked' });
    }
    // A station that never held it still cannot see it.
    await expectProblem(await api(`/v1/cases/${reported.id}`, { token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]) }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${reported.id}`, { token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[2]) }), 404, 'not_found');
  });

  it('refuses callers without cases:read with 403 and unauthenticated callers with 401', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    await expectProblem(await api(`/v1/cases/${reported.id}`, { token: await tokenFor.client(tenant.unitCode, ['cases:report']) }), 403, 'forbidden');
    await expectProblem(await api(`/v1/cases/${reported.id}`, { token: await tokenFor.platform() }), 403, 'forbidden');
    await expectProblem(await api(`/v1/cases/${reported.id}`), 401, 'unauthorized');
    await expectProblem(await api(`/v1/cases/${reported.id}`, { token: 'not.a.token' }), 401, 'unauthorized');
  });
});
