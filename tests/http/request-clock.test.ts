import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { clockOverrideHeader } from '../../src/http/request-clock.js';
import { api, expectProblem } from '../support/api.js';
import { intake } from '../support/cases.js';
import { minutesAgo } from '../support/clock.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

const at = new Date('2031-03-10T09:00:00.000Z');

describe('the request clock', () => {
  it('is the time every deadline of the request is computed from: report, checklist and due list alike', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');
    const body = intake({ payments: [{ amount: '500', paidAt: minutesAgo(90, at), method: 'upi' }], incident: { ...intake().incident, firstContactAt: minutesAgo(120, at) } });
    const reported = await api('/v1/cases', { method: 'POST', token, body, at });
    expect(reported.status).toBe(201);
    const reportedCase = (await reported.json()) as { id: string; reportedAt: string };
    expect(reportedCase.reportedAt).toBe(at.toISOString());

    const sixteenMinutesLater = new Date(at.getTime() + 16 * 60_000);
    const checklist = (await (await api(`/v1/cases/${reportedCase.id}/sop`, { token, at: sixteenMinutesLater })).json()) as {
      now: Array<{ key: string; dueAt: string; overdue: boolean }>;
    };
    expect(checklist.now.find((step) => step.key === 'victim-safety')).toMatchObject({ dueAt: '2031-03-10T09:15:00.000Z', overdue: true });
    expect(checklist.now.filter((step) => step.overdue).map((step) => step.key).sort()).toEqual(['report-1930', 'stop-the-harm', 'victim-safety']);

    const due = (await (await api(`/v1/stations/${tenant.stationCodes[0]}/due`, { token, at })).json()) as { data: Array<{ key: string; overdue: boolean }> };
    expect(due.data.filter((step) => step.overdue).map((step) => step.key)).toEqual(['report-1930']);
  });

  it('judges "this lies in the future" by the request clock', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');
    const body = intake({ payments: [{ amount: '500', paidAt: '2031-03-10T08:00:00Z', method: 'upi' }] });
    const refused = await expectProblem(await api('/v1/cases', { method: 'POST', token, body, at: new Date('2031-03-09T08:00:00Z') }), 400, 'validation_failed');
    expect(refused.errors).toEqual([{ pointer: '/body/payments/0/paidAt', detail: 'this lies in the future' }]);
  });

  it('refuses an override that is not an RFC 3339 time', async () => {
    await expectProblem(await api('/health', { headers: { [clockOverrideHeader]: 'next tuesday' } }), 400, 'invalid_clock_override');
  });

  it('ignores the override unless CLOCK_OVERRIDE is allow (never in production)', async () => {
    const app = createApp();
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');
    const denied = { ...env, CLOCK_OVERRIDE: 'deny' };
    const realNow = new Date();
    const body = intake({ incident: { ...intake().incident, firstContactAt: minutesAgo(60, realNow) }, payments: [{ amount: '500', paidAt: minutesAgo(30, realNow), method: 'upi' }] });
    const request = (headers: Record<string, string>) =>
      app.request('/v1/cases', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) }, denied);
    const response = await request({ [clockOverrideHeader]: '2031-03-10T09:00:00Z' });
    expect(response.status).toBe(201);
    const reportedAt = Date.parse(((await response.json()) as { reportedAt: string }).reportedAt);
    expect(Math.abs(reportedAt - realNow.getTime())).toBeLessThan(10 * 60_000);
    expect((await request({ [clockOverrideHeader]: 'next tuesday' })).status).toBe(201);
  });
});
