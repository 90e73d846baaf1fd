import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { getCaseTimelineRoute } from '../../src/routes/cases/get-case-timeline.js';
import { recordSafetyScreenRoute } from '../../src/routes/cases/record-safety-screen.js';
import { getCaseRoute } from '../../src/routes/cases/get-case.js';
import { transitionCaseRoute } from '../../src/routes/cases/transition-case.js';
import { expirePreservations, flagMissedDeadlines, remindPreservations, runScheduledWork } from '../../src/scheduled.js';
import { api, expectProblem } from '../support/api.js';
import { reportTestCase } from '../support/cases.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { testNow } from '../support/clock.js';
import { tokenFor } from '../support/tokens.js';
import { caseAtStation, checklistOf, drafted, draftRequest, moved, readRequest, stepOf } from '../routes/platform-requests/support.js';

const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function addReference(caseId: string, token: string, body: Record<string, unknown>) {
  return api(`/v1/cases/${caseId}/references`, { method: 'POST', token, body });
}

function screen(caseId: string, token: string, body: Record<string, unknown>) {
  return api(`/v1/cases/${caseId}/safety-screen`, { method: 'POST', token, body });
}

async function changesOf(caseId: string, token: string) {
  const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline?limit=200`, { token }));
  return timeline.data.filter((entry) => entry.action === 'case.checklist_changed').map((entry) => entry.changes);
}

const keys = async (caseId: string, token: string) => {
  const checklist = await checklistOf(caseId, token);
  return { now: checklist.now.map((step) => step.key).sort(), closed: checklist.closed.map((step) => step.key).sort() };
};

describe('the act itself completes its step, in the same transaction', () => {
  it('an FIR reference completes register-fir, starts the POCSO sections for a minor and retires the action-taken report', async () => {
    const { caseId, officer } = await caseAtStation();
    const recorded = await addReference(caseId, officer, { kind: 'fir', value: '0123/2026', sections: ['BNS-308', 'IT-ACT-67B'] });
    expect(recorded.status).toBe(201);
    const fir = await stepOf(caseId, officer, 'register-fir');
    expect(fir).toMatchObject({ status: 'done', reason: 'completed by the FIR', closedBy: 'urn:sextortion-sop-api:sop-engine' });
    expect(await stepOf(caseId, officer, 'pocso-sections')).toMatchObject({ status: 'pending', triggeredAt: fir.closedAt, dueAt: minutesAfter(fir.closedAt!, 60) });
    expect(await stepOf(caseId, officer, 'action-taken-report')).toMatchObject({ status: 'retired' });
    expect((await changesOf(caseId, officer)).at(-1)).toEqual({ 'register-fir': 'completed', 'pocso-sections': 'added', 'action-taken-report': 'retired' });
  });

  it('the fir_registered transition completes register-fir as well', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    await addReference(caseId, officer, { kind: 'other', value: 'diary entry 14' });
    for (const to of ['triaged', 'under_investigation']) {
      await parseResponse(transitionCaseRoute, 200, await api(`/v1/cases/${caseId}/transitions`, { method: 'POST', token: sho, body: { to } }));
    }
    expect((await stepOf(caseId, officer, 'register-fir')).status).toBe('pending');
    await addReference(caseId, officer, { kind: 'fir', value: '0456/2026', sections: ['BNS-308'] });
    await parseResponse(transitionCaseRoute, 200, await api(`/v1/cases/${caseId}/transitions`, { method: 'POST', token: sho, body: { to: 'fir_registered' } }));
    expect((await stepOf(caseId, officer, 'register-fir')).status).toBe('done');
  });

  it('a 1930 helpline ticket completes report-1930 and starts the portal complaint; its acknowledgement completes that', async () => {
    const { caseId, officer } = await caseAtStation();
    expect((await addReference(caseId, officer, { kind: 'helpline_ticket', value: '1930-2026-000123' })).status).toBe(201);
    const call = await stepOf(caseId, officer, 'report-1930');
    expect(call).toMatchObject({ status: 'done', reason: 'completed by the 1930 helpline ticket' });
    expect(await stepOf(caseId, officer, 'portal-complaint')).toMatchObject({ status: 'pending', triggeredAt: call.closedAt, dueAt: minutesAfter(call.closedAt!, 1440) });
    expect((await addReference(caseId, officer, { kind: 'ncrp_acknowledgement', value: '31412260012345' })).status).toBe(201);
    expect(await stepOf(caseId, officer, 'portal-complaint')).toMatchObject({ status: 'done', reason: 'completed by the national portal acknowledgement' });
  });
});

describe('the victim-safety screen: POST /v1/cases/{caseId}/safety-screen', () => {
  it('a low risk completes victim-safety and adds nothing else; the case shows it, contact preferences only with personal data', async () => {
    const { caseId, officer, tenant } = await caseAtStation();
    const before = await keys(caseId, officer);
    const recorded = await parseResponse(recordSafetyScreenRoute, 201, await screen(caseId, officer, { riskLevel: 'low', neverContactThroughFamily: true, consentToContact: true }));
    expect(recorded).toMatchObject({ riskLevel: 'low', neverContactThroughFamily: true, consentToContact: true });
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ status: 'done', reason: 'completed by the safety screen' });
    expect((await keys(caseId, officer)).now).toEqual(before.now.filter((key) => key !== 'victim-safety'));
    const supervisor = await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]);
    const masked = await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${caseId}`, { token: supervisor }));
    expect(masked.safetyScreen).toEqual({ riskLevel: 'low', screenedAt: recorded.screenedAt, neverContactThroughFamily: null, consentToContact: null });
  });

  it('a high risk hands the victim over within minutes and asks every platform involved for emergency disclosure', async () => {
    const { caseId, officer } = await caseAtStation();
    const recorded = await parseResponse(recordSafetyScreenRoute, 201, await screen(caseId, officer, { riskLevel: 'high', neverContactThroughFamily: false, consentToContact: true }));
    const handover = await stepOf(caseId, officer, 'safety-handover');
    expect(handover).toMatchObject({ status: 'pending', ownerRole: 'duty_officer', triggeredAt: recorded.screenedAt, dueAt: minutesAfter(recorded.screenedAt, 5) });
    // Its chain reaches the state unit's supervisor ten minutes after the deadline, and repeats.
    expect((handover as { nextEscalationAt: string | null }).nextEscalationAt).toBe(minutesAfter(recorded.screenedAt, 5));
    for (const platform of ['instagram', 'whatsapp']) {
      expect(await stepOf(caseId, officer, `emergency-disclosure.${platform}`)).toMatchObject({
        status: 'pending',
        platformKey: platform,
        requestKind: 'emergency_disclosure',
        dueAt: minutesAfter(recorded.screenedAt, 60),
      });
    }
    expect((await changesOf(caseId, officer)).at(-1)).toEqual({
      'victim-safety': 'completed',
      'safety-handover': 'added',
      'emergency-disclosure.instagram': 'added',
      'emergency-disclosure.whatsapp': 'added',
    });
  });

  it('a screen that finds a minor starts the POCSO path; one that contradicts the recorded age is refused, pointing at it', async () => {
    const { tenant, officer } = await caseAtStation();
    const adult = await reportTestCase(tenant, { victim: { name: 'Amit Kulkarni', gender: 'male', isMinor: false } });
    expect((await keys(adult.id, officer)).now).not.toContain('pocso-report');
    await parseResponse(recordSafetyScreenRoute, 201, await screen(adult.id, officer, { riskLevel: 'medium', victimIsMinor: true, neverContactThroughFamily: true, consentToContact: false }));
    const after = await keys(adult.id, officer);
    expect(after.now).toEqual(expect.arrayContaining(['pocso-report', 'block-reuploads-minor']));

    const aged = await reportTestCase(tenant, { victim: { name: 'Rohan Deshmukh', age: 24, gender: 'male' } });
    const refused = await expectProblem(await screen(aged.id, officer, { riskLevel: 'low', victimIsMinor: true, neverContactThroughFamily: false, consentToContact: true }), 400, 'validation_failed');
    expect(refused.errors).toEqual([{ pointer: '/body/victimIsMinor', detail: expect.any(String) }]);
    expect((await stepOf(aged.id, officer, 'victim-safety')).status).toBe('pending');
    await expectProblem(await screen(aged.id, officer, { riskLevel: 'extreme', neverContactThroughFamily: false, consentToContact: true }), 400, 'validation_failed');
  });
});

/*
 * The platform-request sweeps are global: they act on every unit's requests as of the `now`
 * given. Each request here is moved back to 2001 first (as the owner) and the sweeps run at
 * clocks in 2001, so they reach this file's requests only.
 */
const back = () => sql`${testNow().getTime() - Date.parse('2001-01-01T00:00:00Z')} * interval '1 millisecond'`;

async function requestIntoTheYear2001(requestId: string) {
  const owner = openHttpDatabase(ownerConfig());
  await owner.execute(sql`
    update platform_requests set sent_at = sent_at - ${back()}, respond_by = respond_by - ${back()},
           preservation_until = preservation_until - ${back()}, reminder_at = reminder_at - ${back()}
     where id = ${requestId}`);
  const { rows } = await owner.execute<{ respondBy: string; reminderAt: string | null; preservationUntil: string | null }>(sql`
    select respond_by as "respondBy", reminder_at as "reminderAt", preservation_until as "preservationUntil" from platform_requests where id = ${requestId}`);
  const at = (value: string | null) => (value === null ? null : new Date(value));
  return { respondBy: new Date(rows[0]!.respondBy), reminderAt: at(rows[0]!.reminderAt), preservationUntil: at(rows[0]!.preservationUntil) };
}

async function sent(caseId: string, officer: string, sho: string, platformKey: string, kind: string) {
  const draft = await drafted(caseId, officer, { platformKey, kind });
  await moved(caseId, draft.id, kind === 'takedown' ? sho : officer, { to: 'approved' });
  return moved(caseId, draft.id, officer, { to: 'sent' });
}

async function integrationEventTypes(caseId: string) {
  const { rows } = await openHttpDatabase(ownerConfig()).execute<{ type: string }>(sql`select type from integration_events where case_id = ${caseId} order by id`);
  return rows.map((row) => row.type);
}

describe("the platform's clock, apart from the police's", () => {
  it('a platform that misses its time raises a follow-up step for it; its answer completes the step', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    const takedown = await sent(caseId, officer, sho, 'instagram', 'takedown');
    const { respondBy } = await requestIntoTheYear2001(takedown.id);
    await runScheduledWork(appConfig(), new Date(respondBy.getTime() - 60_000), { flagMissedDeadlines });
    expect((await readRequest(caseId, takedown.id, officer)).deadlineMissedAt).toBeNull();

    const sweptAt = new Date(respondBy.getTime() + 60_000);
    await runScheduledWork(appConfig(), sweptAt, { flagMissedDeadlines });
    await runScheduledWork(appConfig(), new Date(sweptAt.getTime() + 60_000), { flagMissedDeadlines });
    expect((await readRequest(caseId, takedown.id, officer)).deadlineMissedAt).toBe(sweptAt.toISOString());
    const followUp = await stepOf(caseId, officer, 'platform-follow-up.instagram');
    expect(followUp).toMatchObject({ status: 'pending', platformKey: 'instagram', triggeredAt: sweptAt.toISOString(), dueAt: minutesAfter(sweptAt.toISOString(), 240) });
    expect((await checklistOf(caseId, officer)).now.filter((step) => step.definitionKey === 'platform-follow-up').map((step) => step.key)).toEqual(['platform-follow-up.instagram']);
    expect((await integrationEventTypes(caseId)).filter((type) => type === 'request.platform_deadline_missed')).toHaveLength(1);

    await moved(caseId, takedown.id, officer, { to: 'acknowledged', externalReference: 'META-LE-77' });
    expect(await stepOf(caseId, officer, 'platform-follow-up.instagram')).toMatchObject({ status: 'done', reason: "completed by the platform's answer" });
  });

  it('a preservation near its end raises the extension step; the extension moves the end once, and the sweep expires what lapses', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    const preservation = await sent(caseId, officer, sho, 'instagram', 'preservation');
    await expectProblem(await draftRequest(caseId, officer, { platformKey: 'whatsapp', kind: 'preservation_extension' }), 409, 'preservation_not_extendable');
    const moved2001 = await requestIntoTheYear2001(preservation.id);
    const remindedAt = new Date(moved2001.reminderAt!.getTime() + 60_000);
    await runScheduledWork(appConfig(), remindedAt, { remindPreservations });
    const step = await stepOf(caseId, officer, 'preservation-extension.instagram');
    expect(step).toMatchObject({ status: 'pending', triggeredAt: remindedAt.toISOString(), requestKind: 'preservation_extension' });

    const extension = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation_extension' });
    expect(extension.extendsRequestId).toBe(preservation.id);
    await moved(caseId, extension.id, officer, { to: 'approved' });
    await moved(caseId, extension.id, officer, { to: 'sent' });
    expect((await stepOf(caseId, officer, 'preservation-extension.instagram')).status).toBe('done');
    const extended = await readRequest(caseId, preservation.id, officer);
    // Lapsed already by the request's clock (moved to 2001): extended from now, by the 90 days of a social platform.
    expect(Date.parse(extended.preservationUntil!)).toBeGreaterThan(moved2001.preservationUntil!.getTime());
    await expectProblem(await draftRequest(caseId, officer, { platformKey: 'instagram', kind: 'preservation_extension' }), 409, 'preservation_not_extendable');

    // A second preservation, left to lapse, expires with the sweep.
    const whatsapp = await sent(caseId, officer, sho, 'whatsapp', 'preservation');
    const lapsing = await requestIntoTheYear2001(whatsapp.id);
    await runScheduledWork(appConfig(), new Date(lapsing.preservationUntil!.getTime() + 60_000), { expirePreservations });
    expect(await readRequest(caseId, whatsapp.id, officer)).toMatchObject({ status: 'expired', reminderAt: null });
    expect(await integrationEventTypes(caseId)).toContain('request.expired');
  });
});
