import { describe, expect, it } from 'vitest';
import { getCaseSopRoute } from '../../src/routes/cases/get-case-sop.js';
import { recordStepOutcomeRoute } from '../../src/routes/cases/record-step-outcome.js';
import { createSopDraftRoute } from '../../src/routes/sops/create-sop-draft.js';
import { listSopsRoute } from '../../src/routes/sops/list-sops.js';
import { publishSopRoute } from '../../src/routes/sops/publish-sop.js';
import { api, expectProblem } from '../support/api.js';
import { reportTestCase } from '../support/cases.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { briefBeatOfficer, informCyberCell, MARATHI_TITLE, overlayBody } from '../support/sop.js';
import { tokenFor } from '../support/tokens.js';
import { testNow } from '../support/clock.js';


const officerAt = (tenant: TestTenant, station: number, role: 'duty_officer' | 'investigating_officer' | 'station_house_officer') =>
  tokenFor.station(tenant.unitCode, tenant.stationCodes[station]!, role);

async function publishedDraft(token: string, draft: unknown) {
  const created = await parseResponse(createSopDraftRoute, 201, await api('/v1/sops', { method: 'POST', token, body: draft }));
  return parseResponse(publishSopRoute, 200, await api(`/v1/sops/${created.id}/publish`, { method: 'POST', token }));
}

const publishOverlay = async (tenant: TestTenant) => publishedDraft(await tokenFor.unit(tenant.unitCode), { layer: 'unit', title: 'Marathi titles', body: overlayBody });

async function shippedBaseId(token: string) {
  const { data } = await parseResponse(listSopsRoute, 200, await api('/v1/sops?layer=base&status=published', { token }));
  return data.reduce((best, version) => ((version.number ?? 0) > (best.number ?? 0) ? version : best)).id;
}

/** The case's checklist, every step by key whatever its status. */
async function checklist(caseId: string, token: string) {
  const body = await parseResponse(getCaseSopRoute, 200, await api(`/v1/cases/${caseId}/sop`, { token }));
  const steps = new Map([...body.now, ...body.closed].map((step) => [step.key, step]));
  return { ...body, steps };
}

const migrate = (caseId: string, token: string) => api(`/v1/cases/${caseId}/sop/migrate`, { method: 'POST', token });

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

describe('a case keeps the SOP versions it was reported under', () => {
  it('a case reported before the unit publishes keeps the base alone; one reported after gets the overlay', async () => {
    const tenant = await createTestTenant();
    const dutyOfficer = await officerAt(tenant, 0, 'duty_officer');
    const baseId = await shippedBaseId(dutyOfficer);
    const before = await reportTestCase(tenant);
    const overlay = await publishOverlay(tenant);
    const after = await reportTestCase(tenant);

    const old = await checklist(before.id, dutyOfficer);
    expect(old.sop).toEqual({ base: { id: baseId, number: 2 }, unit: null, station: null });
    expect(old.steps.has('inform-cyber-cell')).toBe(false);
    expect(old.steps.get('action-taken-report')).toMatchObject({ status: 'pending' });
    expect(old.now.map((step) => step.key)).toContain('action-taken-report');
    expect(old.steps.get('victim-safety')!.title).toEqual({ en: 'Screen the victim for self-harm risk' });
    expect(minutesBetween(old.steps.get('victim-safety')!.triggeredAt, old.steps.get('victim-safety')!.dueAt)).toBe(15);

    const fresh = await checklist(after.id, dutyOfficer);
    expect(fresh.sop).toEqual({ base: { id: baseId, number: 2 }, unit: { id: overlay.id, number: 1 }, station: null });
    expect(fresh.steps.get('inform-cyber-cell')).toMatchObject({
      status: 'pending',
      title: informCyberCell.title,
      ownerRole: 'station_house_officer',
      blockedBy: ['preserve-evidence'],
      legalRefs: ['BSA-63'],
    });
    expect(fresh.steps.has('action-taken-report')).toBe(false);
    const victimSafety = fresh.steps.get('victim-safety')!;
    expect(victimSafety.title).toEqual({ en: 'Screen the victim for self-harm risk', mr: MARATHI_TITLE });
    expect(minutesBetween(victimSafety.triggeredAt, victimSafety.dueAt)).toBe(10);
    // Only the title and deadline changed: the base's escalation chain still runs. Read from the
    // composed SOP, since another file's sweep (they are global) may already have escalated the step.
    const composed = (await (await api(`/v1/sops/${overlay.id}`, { token: dutyOfficer })).json()) as { resolvedSteps: Array<{ key: string; escalation: Array<{ role: string }> }> };
    expect(composed.resolvedSteps.find((step) => step.key === 'victim-safety')!.escalation.map((level) => level.role)).toEqual([
      'station_house_officer',
      'district_supervisor',
      'unit_admin',
    ]);
    expect(victimSafety.escalationLevel > 0 || victimSafety.nextEscalationAt === victimSafety.dueAt).toBe(true);
  });

  it('the station house officer migrates a running case: new steps added, dropped steps retired, closed steps left as they were', async () => {
    const tenant = await createTestTenant();
    const dutyOfficer = await officerAt(tenant, 0, 'duty_officer');
    const running = await reportTestCase(tenant);
    const done = await parseResponse(
      recordStepOutcomeRoute,
      200,
      await api(`/v1/cases/${running.id}/sop/steps/victim-safety`, { method: 'POST', token: dutyOfficer, body: { outcome: 'done' } }),
    );
    expect(done.status).toBe('done');
    const overlay = await publishOverlay(tenant);

    // Refused: an investigating officer cannot supervise; another unit cannot see the case.
    await expectProblem(await migrate(running.id, await officerAt(tenant, 0, 'investigating_officer')), 403, 'forbidden');
    const other = await createTestTenant();
    await expectProblem(await migrate(running.id, await officerAt(other, 0, 'station_house_officer')), 404, 'not_found');
    await expectProblem(await migrate(running.id, await tokenFor.unit(other.unitCode)), 404, 'not_found');
    const untouched = await checklist(running.id, dutyOfficer);
    expect(untouched.sop.unit).toBeNull();
    expect(untouched.steps.has('inform-cyber-cell')).toBe(false);
    expect(untouched.steps.get('action-taken-report')!.status).toBe('pending');

    const response = await migrate(running.id, await officerAt(tenant, 0, 'station_house_officer'));
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');

    const migrated = await checklist(running.id, dutyOfficer);
    expect(migrated.sop.unit).toEqual({ id: overlay.id, number: 1 });
    expect(migrated.steps.get('inform-cyber-cell')).toMatchObject({ status: 'pending', title: informCyberCell.title });
    expect(migrated.now.map((step) => step.key)).toContain('inform-cyber-cell');
    expect(migrated.steps.get('action-taken-report')).toMatchObject({ status: 'retired' });
    expect(migrated.closed.map((step) => step.key)).toContain('action-taken-report');
    expect(migrated.now.map((step) => step.key)).not.toContain('action-taken-report');
    expect(migrated.steps.get('victim-safety')).toMatchObject({ status: 'done', closedAt: done.closedAt, closedBy: done.closedBy, version: done.version });
    // Steps both versions have stay as they were.
    expect(migrated.steps.get('preserve-evidence')).toEqual(untouched.steps.get('preserve-evidence'));
  });
});

describe('station additions', () => {
  it('published for one station apply to cases reported there and not at another station', async () => {
    const tenant = await createTestTenant();
    const local = await publishedDraft(await officerAt(tenant, 0, 'station_house_officer'), {
      layer: 'station',
      title: 'Local steps',
      body: { steps: [briefBeatOfficer] },
    });
    expect(local).toMatchObject({ layer: 'station', stationCode: tenant.stationCodes[0], number: 1 });

    const atA = await reportTestCase(tenant);
    const atB = await reportTestCase(tenant, {}, await officerAt(tenant, 1, 'duty_officer'));
    expect(atB.station.code).toBe(tenant.stationCodes[1]);

    const a = await checklist(atA.id, await officerAt(tenant, 0, 'duty_officer'));
    expect(a.sop).toMatchObject({ unit: null, station: { id: local.id, number: 1 } });
    expect(a.steps.get('brief-beat-officer')).toMatchObject({ status: 'pending', title: briefBeatOfficer.title, ownerRole: 'duty_officer', kind: 'advisory' });

    const b = await checklist(atB.id, await officerAt(tenant, 1, 'duty_officer'));
    expect(b.sop).toMatchObject({ unit: null, station: null });
    expect(b.steps.has('brief-beat-officer')).toBe(false);
    expect(b.steps.has('victim-safety')).toBe(true);
  });

  it('stay on a case after it is transferred: the new station works the checklist they shaped, and sees the versions it is pinned to', async () => {
    const tenant = await createTestTenant();
    const local = await publishedDraft(await officerAt(tenant, 0, 'station_house_officer'), { layer: 'station', title: 'Local steps', body: { steps: [briefBeatOfficer] } });
    const reported = await reportTestCase(tenant);
    const transfer = await api(`/v1/cases/${reported.id}/transfer`, {
      method: 'POST',
      token: await officerAt(tenant, 0, 'station_house_officer'),
      body: { toStationCode: tenant.stationCodes[3], reason: 'To the cyber police station' },
    });
    expect(transfer.status).toBe(200);
    const cyber = await officerAt(tenant, 3, 'investigating_officer');
    // A fact the new holder records makes the checklist sync run as that station.
    const payment = await api(`/v1/cases/${reported.id}/payments`, { method: 'POST', token: cyber, body: { amount: '100', paidAt: new Date(testNow().getTime() - 60_000).toISOString(), method: 'upi' } });
    expect(payment.status).toBe(201);

    const atCyber = await checklist(reported.id, cyber);
    expect(atCyber.sop).toMatchObject({ station: { id: local.id, number: 1 } });
    expect(atCyber.steps.get('brief-beat-officer')).toMatchObject({ status: 'pending' });
  });
});
