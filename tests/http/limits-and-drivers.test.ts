import { describe, expect, it } from 'vitest';
import { toProblem } from '../../src/http/error-handler.js';
import { api, expectProblem } from '../support/api.js';
import { intake, reportTestCase } from '../support/cases.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';
import { testNow } from '../support/clock.js';

describe('request size', () => {
  it('answers a body over 1 MiB with 413 before reading it into a case', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');
    const response = await api('/v1/cases', { method: 'POST', token, body: intake({ narrative: 'x'.repeat(1_100_000) }) });
    await expectProblem(response, 413, 'payload_too_large');
    const list = (await (await api('/v1/cases', { token })).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });

  it('lets evidence carry up to about 10 MB of bytes to hash', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    const content = btoa('a'.repeat(3_000_000));
    const response = await api(`/v1/cases/${reported.id}/evidence`, {
      method: 'POST',
      token,
      body: { kind: 'video', description: 'Screen recording of the threat', content, capturedAt: new Date(testNow().getTime() - 60_000).toISOString() },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(((await response.json()) as { sizeBytes: number }).sizeBytes).toBe(3_000_000);
  });
});

describe('database errors from either driver', () => {
  it('maps a SQLSTATE whatever the driver calls its error (node-postgres names them "error")', () => {
    const fromNodePostgres = Object.assign(new Error('duplicate key value violates unique constraint'), { name: 'error', code: '23505' });
    expect(toProblem(fromNodePostgres)).toMatchObject({ status: 409, code: 'already_exists' });
    const fromNeon = Object.assign(new Error('new row violates row-level security policy'), { name: 'NeonDbError', code: '42501' });
    expect(toProblem(fromNeon)).toMatchObject({ status: 404, code: 'not_found' });
    const notDatabase = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toProblem(notDatabase).status).toBe(503);
  });
});
