import { describe, expect, it } from 'vitest';
import { reportCaseRoute } from '../../src/routes/cases/report-case.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { intake, reportTestCase } from '../support/cases.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

const dutyOfficer = (tenant: TestTenant) => tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');

function report(token: string, body: unknown, key?: string) {
  return api('/v1/cases', { method: 'POST', token, body, headers: key ? { 'Idempotency-Key': key } : {} });
}

async function caseIds(tenant: TestTenant): Promise<string[]> {
  const response = await api('/v1/cases?limit=200', { token: await tokenFor.unit(tenant.unitCode) });
  return ((await response.json()) as { data: Array<{ id: string }> }).data.map((item) => item.id);
}

describe('nothing lost, nothing twice', () => {
  it('replays the first intake to a retry with the same Idempotency-Key', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const key = crypto.randomUUID();
    const body = intake();
    const first = await parseResponse(reportCaseRoute, 201, await report(token, body, key));
    const retry = await parseResponse(reportCaseRoute, 201, await report(token, body, key));
    expect(retry).toEqual(first);
    expect(await caseIds(tenant)).toEqual([first.id]);
    expect((await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'case.reported')).toHaveLength(1);
  });

  it('refuses the same key with another intake (422) and records nothing for it', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const key = crypto.randomUUID();
    expect((await report(token, intake(), key)).status).toBe(201);
    await expectProblem(await report(token, intake({ narrative: 'A different complaint' }), key), 422, 'idempotency_key_reused');
    expect(await caseIds(tenant)).toHaveLength(1);
  });

  it('creates exactly one case from 20 parallel identical intakes', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const key = crypto.randomUUID();
    const body = intake();
    const responses = await Promise.all(Array.from({ length: 20 }, () => report(token, body, key)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409), statuses.join(',')).toBe(true);
    const created = await Promise.all(responses.filter((response) => response.status === 201).map((response) => response.json() as Promise<{ id: string }>));
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((body) => body.id)).size).toBe(1);
    for (const response of responses.filter((response) => response.status === 409)) {
      expect(((await response.json()) as { code: string }).code).toBe('idempotency_key_in_use');
    }
    expect(await caseIds(tenant)).toEqual([created[0]!.id]);
  });

  it('lets one of two racing updates win; the other is told the case changed (412)', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    const update = (narrative: string) => api(`/v1/cases/${reported.id}`, { method: 'PATCH', token, headers: { 'If-Match': '"v1"' }, body: { narrative } });
    const responses = await Promise.all([update('First officer\'s account'), update('Second officer\'s account')]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 412]);
    const current = (await (await api(`/v1/cases/${reported.id}`, { token })).json()) as { version: number; narrative: string };
    expect(current.version).toBe(2);
    const winner = (await responses.find((response) => response.status === 200)!.json()) as { narrative: string };
    expect(current.narrative).toBe(winner.narrative);
  });

  it('moves a case once when the same transition races itself; the loser learns where the case stands (409)', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    const move = () => api(`/v1/cases/${reported.id}/transitions`, { method: 'POST', token, body: { to: 'triaged' } });
    const responses = await Promise.all([move(), move()]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    const loser = (await responses.find((response) => response.status === 409)!.json()) as { code: string; currentStatus: string };
    expect(loser).toMatchObject({ code: 'illegal_transition', currentStatus: 'triaged' });
    const moves = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'case.transitioned');
    expect(moves).toHaveLength(1);
  });
});
