import { describe, expect, it } from 'vitest';
import { assignCaseRoute } from '../../../src/routes/cases/assign-case.js';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { listCasesRoute } from '../../../src/routes/cases/list-cases.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

const patil = { subject: 'psi.patil', name: 'PSI A. Patil' };

function assign(caseId: string, token: string, body: Record<string, unknown>, ifMatch?: string) {
  return api(`/v1/cases/${caseId}/assignee`, { method: 'PUT', token, body, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
}

async function readCase(caseId: string, token: string) {
  return parseResponse(getCaseRoute, 200, await api(`/v1/cases/${caseId}`, { token }));
}

async function listedIds(query: string, token: string) {
  return (await parseResponse(listCasesRoute, 200, await api(`/v1/cases${query}`, { token }))).data.map((item) => item.id);
}

/** A case reported at the first station of a fresh unit, with that station's station house officer. */
async function caseAtStation() {
  const tenant = await createTestTenant();
  const reported = await reportTestCase(tenant);
  const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
  return { tenant, caseId: reported.id, sho };
}

describe('PUT /v1/cases/{caseId}/assignee', () => {
  it('lets the station house officer assign the case, which then lists under the officer', async () => {
    const { tenant, caseId, sho } = await caseAtStation();
    const unassigned = await reportTestCase(tenant);
    expect(await readCase(caseId, sho)).toMatchObject({ assignedOfficer: null });

    const response = await assign(caseId, sho, patil, '"v1"');
    expect(response.headers.get('etag')).toBe('"v2"');
    const assigned = await parseResponse(assignCaseRoute, 200, response);
    expect(assigned).toMatchObject({ id: caseId, assignedOfficer: patil, status: 'reported', version: 2 });
    expect(await readCase(caseId, sho)).toMatchObject({ assignedOfficer: patil, version: 2 });

    expect(await listedIds(`?assignedTo=${patil.subject}`, sho)).toEqual([caseId]);
    expect(await listedIds('?assignedTo=psi.someone.else', sho)).toEqual([]);
    expect(await listedIds('', sho)).toEqual(expect.arrayContaining([caseId, unassigned.id]));
    // The officer finds it as `me`.
    const patilToken = await signToken({ sub: patil.subject, roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] });
    expect(await listedIds('?assignedTo=me', patilToken)).toEqual([caseId]);

    const events = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'case.assigned');
    expect(events.map((event) => [event.target.id, event.changes])).toEqual([[caseId, { officer: patil }]]);
  });

  it('reassigns: the new officer replaces the old one in the list', async () => {
    const { caseId, sho } = await caseAtStation();
    await parseResponse(assignCaseRoute, 200, await assign(caseId, sho, patil, '"v1"'));
    const shinde = { subject: 'si.shinde', name: 'SI R. Shinde' };
    expect(await parseResponse(assignCaseRoute, 200, await assign(caseId, sho, shinde, '*'))).toMatchObject({ assignedOfficer: shinde, version: 3 });
    expect(await listedIds(`?assignedTo=${patil.subject}`, sho)).toEqual([]);
    expect(await listedIds(`?assignedTo=${shinde.subject}`, sho)).toEqual([caseId]);
  });

  it('requires If-Match (428) and refuses a stale one (412)', async () => {
    const { caseId, sho } = await caseAtStation();
    await expectProblem(await assign(caseId, sho, patil), 428, 'precondition_required');
    expect(await readCase(caseId, sho)).toMatchObject({ assignedOfficer: null, version: 1 });
    await parseResponse(assignCaseRoute, 200, await assign(caseId, sho, patil, '"v1"'));
    await expectProblem(await assign(caseId, sho, { subject: 'si.shinde', name: 'SI R. Shinde' }, '"v1"'), 412, 'precondition_failed');
    await expectProblem(await assign(caseId, sho, patil, 'v2'), 400, 'validation_failed');
    expect(await readCase(caseId, sho)).toMatchObject({ assignedOfficer: patil, version: 2 });
  });

  it('validates the officer: subject and name are required, nothing else is taken (400)', async () => {
    const { caseId, sho } = await caseAtStation();
    const pointers = async (body: Record<string, unknown>) => (await expectProblem(await assign(caseId, sho, body, '*'), 400, 'validation_failed')).errors?.map((error) => error.pointer);
    expect(await pointers({ name: 'PSI A. Patil' })).toEqual(['/body/subject']);
    expect(await pointers({ subject: 'psi.patil', name: '   ' })).toEqual(['/body/name']);
    expect(await pointers({ ...patil, rank: 'PSI' })).toEqual(['/body']);
    expect(await readCase(caseId, sho)).toMatchObject({ assignedOfficer: null, version: 1 });
  });

  it('is the station house officer\'s call, not an investigating officer\'s (403)', async () => {
    const { tenant, caseId, sho } = await caseAtStation();
    const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    await expectProblem(await assign(caseId, officer, { subject: 'officer-1', name: 'Myself' }, '"v1"'), 403, 'forbidden');
    await expectProblem(await assign(caseId, await tokenFor.auditor(tenant.unitCode), patil, '"v1"'), 403, 'forbidden');
    expect(await readCase(caseId, sho)).toMatchObject({ assignedOfficer: null, version: 1 });
  });

  it("answers another station's officer, another district's supervisor and another unit 404", async () => {
    const { tenant, caseId, sho } = await caseAtStation();
    const other = await createTestTenant();
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[1], 'station_house_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
      await tokenFor.station(other.unitCode, other.stationCodes[0], 'station_house_officer'),
      await tokenFor.unit(other.unitCode),
    ]) {
      await expectProblem(await assign(caseId, token, patil, '*'), 404, 'not_found');
    }
    await expectProblem(await assign(crypto.randomUUID(), sho, patil, '*'), 404, 'not_found');
    expect(await readCase(caseId, sho)).toMatchObject({ assignedOfficer: null, version: 1 });
    // The supervisor of the case's district may.
    expect(await parseResponse(assignCaseRoute, 200, await assign(caseId, await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), patil, '"v1"'))).toMatchObject({ assignedOfficer: patil });
  });
});
