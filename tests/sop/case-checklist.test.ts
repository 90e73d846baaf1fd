import { describe, expect, it } from 'vitest';
import { addPaymentRoute } from '../../src/routes/cases/add-payment.js';
import { getCaseRoute } from '../../src/routes/cases/get-case.js';
import { getCaseSopRoute } from '../../src/routes/cases/get-case-sop.js';
import { getCaseTimelineRoute } from '../../src/routes/cases/get-case-timeline.js';
import { recordStepOutcomeRoute } from '../../src/routes/cases/record-step-outcome.js';
import { transferCaseRoute } from '../../src/routes/cases/transfer-case.js';
import { updateCaseRoute } from '../../src/routes/cases/update-case.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { intake, reportTestCase } from '../support/cases.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { signToken, tokenFor } from '../support/tokens.js';
import { testNow } from '../support/clock.js';

const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

const stationOfficer = (tenant: TestTenant, index = 0) => tokenFor.station(tenant.unitCode, tenant.stationCodes[index]!);

async function checklistOf(caseId: string, token: string) {
  return parseResponse(getCaseSopRoute, 200, await api(`/v1/cases/${caseId}/sop`, { token }));
}

async function readCase(caseId: string, token: string) {
  return parseResponse(getCaseRoute, 200, await api(`/v1/cases/${caseId}`, { token }));
}

function recordOutcome(caseId: string, stepKey: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(`/v1/cases/${caseId}/sop/steps/${stepKey}`, { method: 'POST', token, body, headers });
}

type Checklist = Awaited<ReturnType<typeof checklistOf>>;
type Step = Checklist['now'][number];

function stepOf(checklist: Checklist, key: string): Step {
  const step = [...checklist.now, ...checklist.closed].find((candidate) => candidate.key === key);
  if (!step) throw new Error(`no step ${key} on the checklist: ${[...checklist.now, ...checklist.closed].map((s) => s.key).join(', ')}`);
  return step;
}

const keysOf = (steps: Step[]) => steps.map((step) => step.key).sort();

/** The case's checklist_changed events, oldest first, read from its timeline. */
async function checklistChanges(caseId: string, token: string) {
  const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline?limit=200`, { token }));
  return timeline.data.filter((entry) => entry.action === 'case.checklist_changed').map((entry) => entry.changes);
}

/**
 * Steps of the base SOP (v2) that apply to the default intake (minor, paid by UPI, on Instagram and WhatsApp, nothing
 * circulated yet, not screened yet): the platform steps once per platform, the POCSO report for a minor.
 */
const DEFAULT_INTAKE_STEPS = [
  'action-taken-report',
  'bank-trail',
  'block-reuploads-minor',
  'platform-preservation.instagram',
  'platform-preservation.whatsapp',
  'platform-takedown.instagram',
  'platform-takedown.whatsapp',
  'pocso-report',
  'preserve-evidence',
  'register-fir',
  'report-1930',
  'sim-imei-block',
  'stop-the-harm',
  'victim-safety',
];

describe('GET /v1/cases/{caseId}/sop: the checklist built at intake', () => {
  it('holds the steps that apply to a minor who paid on two platforms, each due exactly on its own clock, pinned to base SOP v2', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await stationOfficer(tenant);
    const theCase = await readCase(reported.id, token);
    const reportedAt = theCase.reportedAt;
    const paidAt = theCase.payments[0]!.paidAt;

    const checklist = await checklistOf(reported.id, token);
    expect(checklist.caseId).toBe(reported.id);
    expect(checklist.sop.base).toMatchObject({ number: 2 });
    expect(checklist.sop.unit).toBeNull();
    expect(checklist.sop.station).toBeNull();
    expect(keysOf(checklist.now)).toEqual(DEFAULT_INTAKE_STEPS);
    expect(checklist.closed).toEqual([]);

    // Deadlines: fixed minutes from the report, a statutory limit from its provision, or from the first payment.
    const expected: Record<string, { triggeredAt: string; minutes: number; ownerRole: string; kind: string }> = {
      'victim-safety': { triggeredAt: reportedAt, minutes: 15, ownerRole: 'duty_officer', kind: 'policy' },
      'stop-the-harm': { triggeredAt: reportedAt, minutes: 15, ownerRole: 'duty_officer', kind: 'advisory' },
      'preserve-evidence': { triggeredAt: reportedAt, minutes: 60, ownerRole: 'investigating_officer', kind: 'policy' },
      'report-1930': { triggeredAt: paidAt, minutes: 60, ownerRole: 'duty_officer', kind: 'policy' },
      // The police's own clock to contact each platform (the SOP's 24 hours), not the platform's time to act.
      'platform-takedown.instagram': { triggeredAt: reportedAt, minutes: 1440, ownerRole: 'investigating_officer', kind: 'policy' },
      'platform-takedown.whatsapp': { triggeredAt: reportedAt, minutes: 1440, ownerRole: 'investigating_officer', kind: 'policy' },
      'platform-preservation.instagram': { triggeredAt: reportedAt, minutes: 1440, ownerRole: 'investigating_officer', kind: 'policy' },
      'platform-preservation.whatsapp': { triggeredAt: reportedAt, minutes: 1440, ownerRole: 'investigating_officer', kind: 'policy' },
      'block-reuploads-minor': { triggeredAt: reportedAt, minutes: 360, ownerRole: 'investigating_officer', kind: 'advisory' },
      'register-fir': { triggeredAt: reportedAt, minutes: 4320, ownerRole: 'station_house_officer', kind: 'policy' },
      // POCSO s. 19(6): 24 hours, from its provision.
      'pocso-report': { triggeredAt: reportedAt, minutes: 1440, ownerRole: 'station_house_officer', kind: 'statutory' },
      'bank-trail': { triggeredAt: paidAt, minutes: 2880, ownerRole: 'investigating_officer', kind: 'policy' },
      'sim-imei-block': { triggeredAt: reportedAt, minutes: 4320, ownerRole: 'investigating_officer', kind: 'policy' },
      'action-taken-report': { triggeredAt: reportedAt, minutes: 20160, ownerRole: 'station_house_officer', kind: 'policy' },
    };
    for (const [key, want] of Object.entries(expected)) {
      const step = stepOf(checklist, key);
      expect({ key, triggeredAt: step.triggeredAt, dueAt: step.dueAt, ownerRole: step.ownerRole, kind: step.kind, status: step.status }).toEqual({
        key,
        triggeredAt: want.triggeredAt,
        dueAt: minutesAfter(want.triggeredAt, want.minutes),
        ownerRole: want.ownerRole,
        kind: want.kind,
        status: 'pending',
      });
      expect(step).toMatchObject({ closedAt: null, closedBy: null, reason: null, blockedBy: [] });
    }

    // The platform steps carry their provisions, their platform and the request that completes them; others the acts that do.
    expect(stepOf(checklist, 'platform-takedown.instagram')).toMatchObject({
      definitionKey: 'platform-takedown',
      platformKey: 'instagram',
      legalRefs: ['IT-RULES-2021-3-1-D', 'IT-RULES-2021-3-2-B', 'IT-ACT-66E'],
      requestKind: 'takedown',
    });
    expect(stepOf(checklist, 'register-fir')).toMatchObject({
      definitionKey: 'register-fir',
      platformKey: null,
      legalRefs: ['BNSS-173', 'BNS-308', 'IT-ACT-66E', 'IT-ACT-67A'],
      requestKind: null,
      completedBy: ['fir'],
    });
    expect(stepOf(checklist, 'victim-safety')).toMatchObject({ completedBy: ['safety_screen'], escalatedRole: null });
    expect(stepOf(checklist, 'victim-safety').title.en).toBe('Screen the victim for self-harm risk');

    // Soonest first; the golden hour after yesterday's payment has already passed.
    const dueTimes = checklist.now.map((step) => Date.parse(step.dueAt));
    expect(dueTimes).toEqual([...dueTimes].sort((a, b) => a - b));
    expect(checklist.now[0]!.key).toBe('report-1930');
    expect(checklist.now.filter((step) => step.overdue).map((step) => step.key)).toEqual(['report-1930']);
  });

  it('leaves out the steps whose conditions do not hold and the ones that wait for another step', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const checklist = await checklistOf(reported.id, await stationOfficer(tenant));
    const present = [...checklist.now, ...checklist.closed].map((step) => step.key);
    // Conditions that do not hold: an adult's hash programme; the hand-over and emergency disclosure without a high-risk screen.
    expect(present).not.toContain('block-reuploads-adult');
    expect(present.filter((key) => key.startsWith('emergency-disclosure') || key === 'safety-handover')).toEqual([]);
    // Triggered by another step's completion: not on the list until that step is done.
    for (const waiting of ['portal-complaint', 'pocso-sections', 'data-requests', 'identifier-lookups']) expect(present).not.toContain(waiting);
  });

  it('gives an adult with no payment and no platform a different set: no 1930 call, no bank trail, no platform requests', async () => {
    const tenant = await createTestTenant();
    const base = intake();
    const reported = await reportTestCase(tenant, {
      victim: { name: 'Amit Kulkarni', age: 24, gender: 'male' },
      incident: { ...base.incident, platforms: [], channels: ['sms'] },
      identifiers: [{ kind: 'phone', value: '+91 70000 12345' }],
      payments: [],
    });
    const token = await stationOfficer(tenant);
    const reportedAt = (await readCase(reported.id, token)).reportedAt;
    const checklist = await checklistOf(reported.id, token);
    expect(keysOf(checklist.now)).toEqual(['action-taken-report', 'block-reuploads-adult', 'preserve-evidence', 'register-fir', 'sim-imei-block', 'stop-the-harm', 'victim-safety']);
    expect(stepOf(checklist, 'block-reuploads-adult')).toMatchObject({ triggeredAt: reportedAt, dueAt: minutesAfter(reportedAt, 360), ownerRole: 'investigating_officer' });
    expect(checklist.now.some((step) => step.overdue)).toBe(false);
    expect(checklist.sop.base).toMatchObject({ number: 2 });
  });

  it('images already circulating at intake do not by themselves ask for emergency disclosure: a risk to life does', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant, { incident: { ...intake().incident, imagesCirculated: true } });
    const checklist = await checklistOf(reported.id, await stationOfficer(tenant));
    expect(keysOf(checklist.now)).toEqual(DEFAULT_INTAKE_STEPS);
  });

  it('records the checklist it built on the case timeline, naming each step added', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const changes = await checklistChanges(reported.id, await stationOfficer(tenant));
    expect(changes).toHaveLength(1);
    expect(Object.keys(changes[0]!).sort()).toEqual(DEFAULT_INTAKE_STEPS);
    expect(new Set(Object.values(changes[0]!))).toEqual(new Set(['added']));
  });

  it('is 404 for a station that never held the case and for another unit', async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const reported = await reportTestCase(tenant);
    await expectProblem(await api(`/v1/cases/${reported.id}/sop`, { token: await stationOfficer(tenant, 1) }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${reported.id}/sop`, { token: await tokenFor.unit(other.unitCode) }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${reported.id}/sop`), 401, 'unauthorized');
  });
});

describe('later facts change the checklist', () => {
  it('an adult after all: the minors\' hash programme is retired and the adults\' added on the report\'s clock; and back again', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await stationOfficer(tenant);
    const reportedAt = (await readCase(reported.id, token)).reportedAt;

    const patched = await parseResponse(
      updateCaseRoute,
      200,
      await api(`/v1/cases/${reported.id}`, { method: 'PATCH', token, headers: { 'If-Match': `"v${reported.version}"` }, body: { victim: { name: 'Rohan Deshmukh', age: 19, gender: 'male' } } }),
    );
    let checklist = await checklistOf(reported.id, token);
    expect(stepOf(checklist, 'block-reuploads-minor')).toMatchObject({ status: 'retired', reason: 'its conditions no longer hold', closedBy: null });
    expect(keysOf(checklist.closed)).toEqual(['block-reuploads-minor', 'pocso-report']);
    expect(stepOf(checklist, 'block-reuploads-adult')).toMatchObject({
      status: 'pending',
      triggeredAt: reportedAt,
      dueAt: minutesAfter(reportedAt, 360),
      ownerRole: 'investigating_officer',
    });
    expect(checklist.now.map((step) => step.key)).not.toContain('block-reuploads-minor');

    // A minor again: the retired step comes back as it was, the adults' step is retired.
    await parseResponse(
      updateCaseRoute,
      200,
      await api(`/v1/cases/${reported.id}`, { method: 'PATCH', token, headers: { 'If-Match': `"v${patched.version}"` }, body: { victim: { name: 'Rohan Deshmukh', age: 17, gender: 'male' } } }),
    );
    checklist = await checklistOf(reported.id, token);
    expect(stepOf(checklist, 'block-reuploads-minor')).toMatchObject({ status: 'pending', dueAt: minutesAfter(reportedAt, 360), closedAt: null, reason: null });
    expect(stepOf(checklist, 'block-reuploads-adult')).toMatchObject({ status: 'retired' });

    expect(await checklistChanges(reported.id, token)).toEqual([
      expect.objectContaining({ 'block-reuploads-minor': 'added' }),
      { 'block-reuploads-minor': 'retired', 'pocso-report': 'retired', 'block-reuploads-adult': 'added' },
      { 'block-reuploads-minor': 'revived', 'pocso-report': 'revived', 'block-reuploads-adult': 'retired' },
    ]);
  });

  it('a platform added later adds its own takedown and preservation; one taken off retires them', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await stationOfficer(tenant);
    const recordedAt = testNow();
    const patched = await parseResponse(
      updateCaseRoute,
      200,
      await api(`/v1/cases/${reported.id}`, {
        method: 'PATCH',
        token,
        headers: { 'If-Match': `"v${reported.version}"` },
        body: { incident: { ...intake().incident, platforms: ['instagram', 'whatsapp', 'snapchat'] } },
        at: recordedAt,
      }),
    );
    let checklist = await checklistOf(reported.id, token);
    const reportedAt = (await readCase(reported.id, token)).reportedAt;
    // The police's clock to contact it runs from the report, as for the others: it was always involved.
    expect(stepOf(checklist, 'platform-takedown.snapchat')).toMatchObject({ status: 'pending', platformKey: 'snapchat', triggeredAt: reportedAt, dueAt: minutesAfter(reportedAt, 1440) });
    expect(stepOf(checklist, 'platform-preservation.snapchat')).toMatchObject({ status: 'pending', platformKey: 'snapchat' });
    expect((await checklistChanges(reported.id, token)).at(-1)).toEqual({ 'platform-takedown.snapchat': 'added', 'platform-preservation.snapchat': 'added' });

    await parseResponse(
      updateCaseRoute,
      200,
      await api(`/v1/cases/${reported.id}`, {
        method: 'PATCH',
        token,
        headers: { 'If-Match': `"v${patched.version}"` },
        body: { incident: { ...intake().incident, platforms: ['instagram', 'snapchat'] } },
      }),
    );
    checklist = await checklistOf(reported.id, token);
    expect(keysOf(checklist.closed)).toEqual(['platform-preservation.whatsapp', 'platform-takedown.whatsapp']);
    expect(stepOf(checklist, 'platform-takedown.whatsapp')).toMatchObject({ status: 'retired', reason: 'its conditions no longer hold' });
  });

  it('a first payment on a case that had none starts the 1930 golden hour and the bank trail from the time paid', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant, { payments: [] });
    const token = await stationOfficer(tenant);
    const before = await checklistOf(reported.id, token);
    expect(before.now.map((step) => step.key)).not.toContain('report-1930');
    expect(before.now.map((step) => step.key)).not.toContain('bank-trail');

    const paidAt = new Date(Math.floor(testNow().getTime() / 60_000) * 60_000 - 20 * 60_000).toISOString();
    const payment = await parseResponse(
      addPaymentRoute,
      201,
      await api(`/v1/cases/${reported.id}/payments`, { method: 'POST', token, body: { amount: '3000', paidAt, method: 'upi', reference: '433112349999' } }),
    );
    expect(payment.paidAt).toBe(paidAt);

    const after = await checklistOf(reported.id, token);
    expect(stepOf(after, 'report-1930')).toMatchObject({ status: 'pending', triggeredAt: paidAt, dueAt: minutesAfter(paidAt, 60), ownerRole: 'duty_officer' });
    expect(stepOf(after, 'bank-trail')).toMatchObject({ status: 'pending', triggeredAt: paidAt, dueAt: minutesAfter(paidAt, 2880), requestKind: 'payment_hold' });
    expect(keysOf(after.now)).toEqual(DEFAULT_INTAKE_STEPS);
    expect((await checklistChanges(reported.id, token)).at(-1)).toEqual({ 'report-1930': 'added', 'bank-trail': 'added' });

    // A second, earlier payment does not move a clock already running.
    const earlier = new Date(Date.parse(paidAt) - 60 * 60_000).toISOString();
    await parseResponse(addPaymentRoute, 201, await api(`/v1/cases/${reported.id}/payments`, { method: 'POST', token, body: { amount: '1000', paidAt: earlier, method: 'upi' } }));
    expect(stepOf(await checklistOf(reported.id, token), 'report-1930').dueAt).toBe(minutesAfter(paidAt, 60));
  });

  it('a first payment in another currency than the case\'s is money paid too: it starts the 1930 golden hour and the bank trail', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant, { payments: [] });
    const token = await stationOfficer(tenant);
    const paidAt = new Date(Math.floor(testNow().getTime() / 60_000) * 60_000 - 30 * 60_000).toISOString();
    await parseResponse(
      addPaymentRoute,
      201,
      await api(`/v1/cases/${reported.id}/payments`, { method: 'POST', token, body: { amount: '150', currency: 'USD', paidAt, method: 'gift_card' } }),
    );
    const after = await checklistOf(reported.id, token);
    expect(after.now.map((step) => step.key)).toEqual(expect.arrayContaining(['report-1930', 'bank-trail']));
    expect(stepOf(after, 'report-1930')).toMatchObject({ triggeredAt: paidAt, dueAt: minutesAfter(paidAt, 60) });
  });
});

describe('POST /v1/cases/{caseId}/sop/steps/{stepKey}', () => {
  async function reportedCase() {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const dutyOfficer = await signToken({ sub: 'hc.kadam', roles: ['duty_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] });
    return { tenant, caseId: reported.id, dutyOfficer };
  }

  it('done: closes the step with who and when, takes it off the list now, and audits it (on time)', async () => {
    const { tenant, caseId, dutyOfficer } = await reportedCase();
    const response = await recordOutcome(caseId, 'victim-safety', dutyOfficer, { outcome: 'done' });
    const step = await parseResponse(recordStepOutcomeRoute, 200, response);
    expect(step).toMatchObject({ key: 'victim-safety', status: 'done', closedBy: 'hc.kadam', reason: null, nextEscalationAt: null, overdue: false, version: 2 });
    expect(Date.parse(step.closedAt!)).toBeLessThan(Date.parse(step.dueAt));

    const checklist = await checklistOf(caseId, dutyOfficer);
    expect(checklist.now.map((s) => s.key)).not.toContain('victim-safety');
    expect(checklist.closed).toEqual([step]);

    const events = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'sop.step_done');
    expect(events).toHaveLength(1);
    expect(events[0]!.actor.subject).toBe('hc.kadam');
    expect(events[0]!.target.type).toBe('case_step');
    expect(events[0]!.changes).toMatchObject({ stepKey: 'victim-safety', outcome: 'done', reason: null, late: false });
  });

  it('completing the 1930 call starts the portal complaint, due 24 hours (NCRP-1930-FOLLOWUP) after the call was recorded; it was late', async () => {
    const { tenant, caseId, dutyOfficer } = await reportedCase();
    const call = await parseResponse(recordStepOutcomeRoute, 200, await recordOutcome(caseId, 'report-1930', dutyOfficer, { outcome: 'done' }));
    const checklist = await checklistOf(caseId, dutyOfficer);
    expect(stepOf(checklist, 'portal-complaint')).toMatchObject({
      status: 'pending',
      triggeredAt: call.closedAt,
      dueAt: minutesAfter(call.closedAt!, 1440),
      ownerRole: 'investigating_officer',
      blockedBy: [],
    });
    expect((await checklistChanges(caseId, dutyOfficer)).at(-1)).toEqual({ 'portal-complaint': 'added' });
    const done = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).find((event) => event.action === 'sop.step_done');
    expect(done!.changes).toMatchObject({ stepKey: 'report-1930', late: true });
  });

  it('skipping the evidence step releases the data requests and the identifier lookups all the same', async () => {
    const { caseId, dutyOfficer } = await reportedCase();
    const skipped = await parseResponse(
      recordStepOutcomeRoute,
      200,
      await recordOutcome(caseId, 'preserve-evidence', dutyOfficer, { outcome: 'skipped', reason: 'The victim deleted the chats before the report' }),
    );
    const checklist = await checklistOf(caseId, dutyOfficer);
    expect(stepOf(checklist, 'data-requests')).toMatchObject({ status: 'pending', triggeredAt: skipped.closedAt, dueAt: minutesAfter(skipped.closedAt!, 1440) });
    expect(stepOf(checklist, 'identifier-lookups')).toMatchObject({ status: 'pending', triggeredAt: skipped.closedAt });
  });

  it('completing the evidence starts the data requests and the identifier lookups; the FIR starts the POCSO sections for a minor', async () => {
    const { caseId, dutyOfficer, tenant } = await reportedCase();
    const evidence = await parseResponse(recordStepOutcomeRoute, 200, await recordOutcome(caseId, 'preserve-evidence', dutyOfficer, { outcome: 'done' }));
    const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
    const fir = await parseResponse(recordStepOutcomeRoute, 200, await recordOutcome(caseId, 'register-fir', sho, { outcome: 'done' }));
    const checklist = await checklistOf(caseId, dutyOfficer);
    expect(stepOf(checklist, 'data-requests')).toMatchObject({ triggeredAt: evidence.closedAt, dueAt: minutesAfter(evidence.closedAt!, 1440), blockedBy: [] });
    expect(stepOf(checklist, 'identifier-lookups')).toMatchObject({ triggeredAt: evidence.closedAt, dueAt: minutesAfter(evidence.closedAt!, 10080) });
    expect(stepOf(checklist, 'pocso-sections')).toMatchObject({ triggeredAt: fir.closedAt, dueAt: minutesAfter(fir.closedAt!, 60), ownerRole: 'station_house_officer' });
  });

  it('skipped and not_applicable need a reason (400 without one), and keep it', async () => {
    const { caseId, dutyOfficer } = await reportedCase();
    for (const outcome of ['skipped', 'not_applicable']) {
      const problem = await expectProblem(await recordOutcome(caseId, 'sim-imei-block', dutyOfficer, { outcome }), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/reason']);
    }
    await expectProblem(await recordOutcome(caseId, 'sim-imei-block', dutyOfficer, { outcome: 'skipped', reason: '   ' }), 400, 'validation_failed');
    await expectProblem(await recordOutcome(caseId, 'sim-imei-block', dutyOfficer, { outcome: 'finished' }), 400, 'validation_failed');
    expect(stepOf(await checklistOf(caseId, dutyOfficer), 'sim-imei-block').status).toBe('pending');

    const skipped = await parseResponse(recordStepOutcomeRoute, 200, await recordOutcome(caseId, 'sim-imei-block', dutyOfficer, { outcome: 'skipped', reason: 'No phone number known yet' }));
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'No phone number known yet', closedBy: 'hc.kadam' });
    const notApplicable = await parseResponse(
      recordStepOutcomeRoute,
      200,
      await recordOutcome(caseId, 'action-taken-report', dutyOfficer, { outcome: 'not_applicable', reason: 'An FIR will be registered' }),
    );
    expect(notApplicable).toMatchObject({ status: 'not_applicable', reason: 'An FIR will be registered' });
    expect(keysOf((await checklistOf(caseId, dutyOfficer)).closed)).toEqual(['action-taken-report', 'sim-imei-block']);
  });

  it('a step already closed is 409 step_not_pending with its status; an unknown step, or one not on this case, is 404', async () => {
    const { caseId, dutyOfficer } = await reportedCase();
    await parseResponse(recordStepOutcomeRoute, 200, await recordOutcome(caseId, 'stop-the-harm', dutyOfficer, { outcome: 'done' }));
    const again = await expectProblem(await recordOutcome(caseId, 'stop-the-harm', dutyOfficer, { outcome: 'skipped', reason: 'twice' }), 409, 'step_not_pending');
    expect(again.currentStatus).toBe('done');
    await expectProblem(await recordOutcome(caseId, 'no-such-step', dutyOfficer, { outcome: 'done' }), 404, 'not_found');
    await expectProblem(await recordOutcome(caseId, 'block-reuploads-adult', dutyOfficer, { outcome: 'done' }), 404, 'not_found');
    await expectProblem(await recordOutcome(crypto.randomUUID(), 'victim-safety', dutyOfficer, { outcome: 'done' }), 404, 'not_found');
  });

  it('another station of the unit gets 404, another unit 404, an auditor 403; nothing changes', async () => {
    const { tenant, caseId, dutyOfficer } = await reportedCase();
    const other = await createTestTenant();
    await expectProblem(await recordOutcome(caseId, 'victim-safety', await tokenFor.station(tenant.unitCode, tenant.stationCodes[1], 'duty_officer'), { outcome: 'done' }), 404, 'not_found');
    await expectProblem(await recordOutcome(caseId, 'victim-safety', await tokenFor.station(other.unitCode, other.stationCodes[0], 'duty_officer'), { outcome: 'done' }), 404, 'not_found');
    await expectProblem(await recordOutcome(caseId, 'victim-safety', await tokenFor.auditor(tenant.unitCode), { outcome: 'done' }), 403, 'forbidden');
    await expectProblem(await recordOutcome(caseId, 'victim-safety', '', { outcome: 'done' }), 401, 'unauthorized');
    expect(stepOf(await checklistOf(caseId, dutyOfficer), 'victim-safety').status).toBe('pending');
  });

  it('after a transfer the old station is 403 not_case_holder and the new station closes the steps', async () => {
    const { tenant, caseId, dutyOfficer } = await reportedCase();
    const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
    await parseResponse(
      transferCaseRoute,
      200,
      await api(`/v1/cases/${caseId}/transfer`, { method: 'POST', token: sho, body: { toStationCode: tenant.stationCodes[3], reason: 'Money traced: cyber PS' } }),
    );
    await expectProblem(await recordOutcome(caseId, 'victim-safety', dutyOfficer, { outcome: 'done' }), 403, 'not_case_holder');
    const cyberOfficer = await signToken({ sub: 'psi.more', roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[3] });
    const closed = await parseResponse(recordStepOutcomeRoute, 200, await recordOutcome(caseId, 'victim-safety', cyberOfficer, { outcome: 'done' }));
    expect(closed).toMatchObject({ status: 'done', closedBy: 'psi.more' });
    // The old station still reads the checklist.
    expect(stepOf(await checklistOf(caseId, dutyOfficer), 'victim-safety').status).toBe('done');
  });

  it('replays an Idempotency-Key with the same body, closing the step once', async () => {
    const { tenant, caseId, dutyOfficer } = await reportedCase();
    const key = crypto.randomUUID();
    const first = await recordOutcome(caseId, 'preserve-evidence', dutyOfficer, { outcome: 'done' }, { 'Idempotency-Key': key });
    const firstBody = await parseResponse(recordStepOutcomeRoute, 200, first);
    const replay = await recordOutcome(caseId, 'preserve-evidence', dutyOfficer, { outcome: 'done' }, { 'Idempotency-Key': key });
    const replayBody = await parseResponse(recordStepOutcomeRoute, 200, replay);
    expect(replayBody).toEqual(firstBody);
    await expectProblem(await recordOutcome(caseId, 'preserve-evidence', dutyOfficer, { outcome: 'skipped', reason: 'other body' }, { 'Idempotency-Key': key }), 422, 'idempotency_key_reused');
    const events = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'sop.step_done');
    expect(events).toHaveLength(1);
    // The steps it triggered were added once.
    const checklist = await checklistOf(caseId, dutyOfficer);
    expect(checklist.now.filter((step) => step.key === 'data-requests')).toHaveLength(1);
  });
});
