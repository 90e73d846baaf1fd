import { describe, expect, it } from 'vitest';
import { getCaseTimelineRoute } from '../../../src/routes/cases/get-case-timeline.js';
import { preservationWindow } from '../../../src/requests/preservation.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { caseAtStation, checklistOf, drafted, moved, moveRequest, readRequest, stepOf } from './support.js';

async function timelineActions(caseId: string, token: string) {
  const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline?limit=200`, { token }));
  return timeline.data;
}

describe('moving a platform request: POST /v1/cases/{caseId}/requests/{requestId}/transitions', () => {
  it('walks a takedown from draft to actioned, recording each move with its time and officer', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    const draft = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'takedown' });
    const approved = await moved(caseId, draft.id, sho, { to: 'approved', note: 'Authorised under rule 3(1)(d)' });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: 'pi.kulkarni', allowedTransitions: ['sent'], version: 2 });
    const sent = await moved(caseId, draft.id, officer, { to: 'sent', externalReference: 'LE-2026-118842' });
    expect(sent).toMatchObject({ status: 'sent', externalReference: 'LE-2026-118842', allowedTransitions: ['acknowledged', 'actioned', 'refused', 'expired'], respondedAt: null });
    expect(sent.sentAt).toBe(sent.updatedAt);
    // A takedown is not a preservation: no preservation period. The platform's own clock starts: a police order is answered
    // within 36 h (IT Rules 2021, 3(1)(d)), shorter than the directory's 72 h turnaround for Instagram.
    expect(sent).toMatchObject({ preservationUntil: null, reminderAt: null, deadlineMissedAt: null });
    expect(Date.parse(sent.respondBy!) - Date.parse(sent.sentAt!)).toBe(36 * 3_600_000);
    const acknowledged = await moved(caseId, draft.id, officer, { to: 'acknowledged' });
    expect(acknowledged.respondedAt).toBe(acknowledged.updatedAt);
    const actioned = await moved(caseId, draft.id, officer, { to: 'actioned', note: 'Content removed' });
    expect(actioned).toMatchObject({ status: 'actioned', allowedTransitions: [], respondedAt: acknowledged.respondedAt, version: 5 });
    expect(actioned.transitions.map(({ status, by, note, externalReference }) => ({ status, by, note, externalReference }))).toEqual([
      { status: 'draft', by: 'psi.patil', note: undefined, externalReference: undefined },
      { status: 'approved', by: 'pi.kulkarni', note: 'Authorised under rule 3(1)(d)', externalReference: undefined },
      { status: 'sent', by: 'psi.patil', note: undefined, externalReference: 'LE-2026-118842' },
      { status: 'acknowledged', by: 'psi.patil', note: undefined, externalReference: undefined },
      { status: 'actioned', by: 'psi.patil', note: 'Content removed', externalReference: undefined },
    ]);
    expect(actioned.transitions.map((transition) => transition.at)).toEqual([draft.createdAt, approved.updatedAt, sent.updatedAt, acknowledged.updatedAt, actioned.updatedAt]);
    expect(await readRequest(caseId, draft.id, officer)).toEqual(actioned);

    const events = (await timelineActions(caseId, officer)).filter((entry) => entry.target.id === draft.id).map((entry) => [entry.action, entry.changes]);
    // The audit trail keeps the time as Postgres writes it in JSON: trailing zeros of the fraction dropped.
    const respondBy = sent.respondBy!.replace(/\.?0*Z$/, '+00:00');
    expect(events).toEqual([
      ['platform_request.drafted', expect.any(Object)],
      ['platform_request.approved', { from: 'draft', to: 'approved', platformKey: 'instagram', kind: 'takedown', note: 'Authorised under rule 3(1)(d)' }],
      ['platform_request.sent', { from: 'approved', to: 'sent', platformKey: 'instagram', kind: 'takedown', externalReference: 'LE-2026-118842', respondBy }],
      ['platform_request.acknowledged', { from: 'sent', to: 'acknowledged', platformKey: 'instagram', kind: 'takedown', externalReference: 'LE-2026-118842', respondBy }],
      [
        'platform_request.actioned',
        { from: 'acknowledged', to: 'actioned', platformKey: 'instagram', kind: 'takedown', externalReference: 'LE-2026-118842', note: 'Content removed', respondBy },
      ],
    ]);
  });

  it('refuses a move the state machine does not allow with a 409 naming the allowed ones', async () => {
    const { caseId, officer } = await caseAtStation();
    const draft = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation' });
    const early = await expectProblem(await moveRequest(caseId, draft.id, officer, { to: 'sent' }), 409, 'illegal_transition');
    expect(early).toMatchObject({ currentStatus: 'draft', allowedTransitions: ['approved'], detail: 'a draft request can move to: approved' });
    await moved(caseId, draft.id, officer, { to: 'approved' });
    await moved(caseId, draft.id, officer, { to: 'sent' });
    await moved(caseId, draft.id, officer, { to: 'refused', note: 'Account already deleted' });
    const after = await expectProblem(await moveRequest(caseId, draft.id, officer, { to: 'acknowledged' }), 409, 'illegal_transition');
    expect(after).toMatchObject({ currentStatus: 'refused', allowedTransitions: [], detail: 'a refused request can move to: nothing' });
    const invalid = await expectProblem(await moveRequest(caseId, draft.id, officer, { to: 'draft' }), 400, 'validation_failed');
    expect(invalid.errors?.[0]?.pointer).toBe('/body/to');
  });

  it('needs cases:supervise to approve police orders, but lets the working officer approve a preservation request', async () => {
    const { caseId, officer, supervisor, admin, tenant } = await caseAtStation();
    const takedown = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'takedown' });
    const refused = await expectProblem(await moveRequest(caseId, takedown.id, officer, { to: 'approved' }), 403, 'forbidden');
    expect(refused.detail).toContain('approving a takedown request needs the cases:supervise permission');
    expect((await readRequest(caseId, takedown.id, officer)).status).toBe('draft');
    // The district supervisor over the station approves it; the unit administrator may approve another.
    expect((await moved(caseId, takedown.id, supervisor, { to: 'approved' })).approvedBy).toBe('officer-1');
    const disclosure = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'data_disclosure' });
    expect((await moved(caseId, disclosure.id, admin, { to: 'approved' })).status).toBe('approved');
    // Neither supervisor sends: that is the station's work (cases:work).
    await expectProblem(await moveRequest(caseId, disclosure.id, admin, { to: 'sent' }), 403, 'forbidden');
    await expectProblem(await moveRequest(caseId, disclosure.id, supervisor, { to: 'sent' }), 403, 'forbidden');
    const preservation = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation' });
    expect((await moved(caseId, preservation.id, officer, { to: 'approved' })).approvedBy).toBe('psi.patil');
    // Readers move nothing.
    await expectProblem(await moveRequest(caseId, preservation.id, await tokenFor.auditor(tenant.unitCode), { to: 'sent' }), 403, 'forbidden');
  });

  it('answers 404 to callers who cannot see the case, 403 to a station that no longer holds it, 412 to a stale If-Match', async () => {
    const { caseId, officer, sho, tenant } = await caseAtStation();
    const draft = await drafted(caseId, officer, { platformKey: 'x', kind: 'preservation' });
    const otherUnit = await createTestTenant();
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
      await tokenFor.station(otherUnit.unitCode, otherUnit.stationCodes[0]),
    ]) {
      await expectProblem(await moveRequest(caseId, draft.id, token, { to: 'approved' }), 404, 'not_found');
    }
    await expectProblem(await moveRequest(caseId, crypto.randomUUID(), officer, { to: 'approved' }), 404, 'not_found');
    await expectProblem(await moveRequest(caseId, draft.id, officer, { to: 'approved' }, { 'If-Match': '"v7"' }), 412, 'precondition_failed');
    await expectProblem(await moveRequest(caseId, draft.id, officer, { to: 'approved' }, { 'If-Match': 'v1' }), 400, 'validation_failed');
    expect((await moved(caseId, draft.id, officer, { to: 'approved' }, { 'If-Match': '"v1"' })).version).toBe(2);

    await api(`/v1/cases/${caseId}/transfer`, { method: 'POST', token: sho, body: { toStationCode: tenant.stationCodes[3], reason: 'Cyber PS takes it' } });
    await expectProblem(await moveRequest(caseId, draft.id, officer, { to: 'sent' }), 403, 'not_case_holder');
    // The station it was transferred to carries on.
    expect((await moved(caseId, draft.id, await tokenFor.station(tenant.unitCode, tenant.stationCodes[3]), { to: 'sent' })).status).toBe('sent');
  });

  it('completes the SOP step the request answers when it is sent, in the same transaction, and starts what that step triggers', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    const takedown = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'takedown' });
    await moved(caseId, takedown.id, sho, { to: 'approved' });
    expect((await stepOf(caseId, officer, 'platform-takedown.instagram')).status).toBe('pending');
    const sent = await moved(caseId, takedown.id, officer, { to: 'sent' });
    expect(await stepOf(caseId, officer, 'platform-takedown.instagram')).toMatchObject({
      status: 'done',
      closedBy: 'psi.patil',
      closedAt: sent.sentAt,
      reason: `completed by sending takedown request ${takedown.id} to instagram`,
    });
    const stepEvents = (await timelineActions(caseId, officer)).filter((entry) => entry.action === 'sop.step_done');
    expect(stepEvents.map((entry) => entry.changes)).toEqual([
      { stepKey: 'platform-takedown.instagram', outcome: 'done', platformRequestId: takedown.id, dueAt: expect.any(String), late: false },
    ]);
    // The other platform involved still waits for its own takedown.
    expect((await stepOf(caseId, officer, 'platform-takedown.whatsapp')).status).toBe('pending');

    // A takedown to a platform the case does not name completes nothing; the one to WhatsApp completes its step.
    const elsewhere = await drafted(caseId, officer, { platformKey: 'facebook', kind: 'takedown' });
    await moved(caseId, elsewhere.id, sho, { to: 'approved' });
    await moved(caseId, elsewhere.id, officer, { to: 'sent' });
    expect((await timelineActions(caseId, officer)).filter((entry) => entry.action === 'sop.step_done')).toHaveLength(1);
    const whatsapp = await drafted(caseId, officer, { platformKey: 'whatsapp', kind: 'takedown' });
    await moved(caseId, whatsapp.id, sho, { to: 'approved' });
    await moved(caseId, whatsapp.id, officer, { to: 'sent' });
    expect(await stepOf(caseId, officer, 'platform-takedown.whatsapp')).toMatchObject({ status: 'done', reason: `completed by sending takedown request ${whatsapp.id} to whatsapp` });
  });

  it('completes the step the request names, and the checklist follows in the same transaction (the steps it triggers are added)', async () => {
    const { caseId, officer } = await caseAtStation();
    // Preserving the offender's data at the platform is how this station preserves the evidence.
    const preservation = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation', sopStepKey: 'preserve-evidence' });
    await moved(caseId, preservation.id, officer, { to: 'approved' });
    const before = await checklistOf(caseId, officer);
    expect([...before.now, ...before.closed].map((step) => step.key)).not.toContain('data-requests');
    const sent = await moved(caseId, preservation.id, officer, { to: 'sent' });
    const after = await checklistOf(caseId, officer);
    expect(after.closed.find((step) => step.key === 'preserve-evidence')).toMatchObject({ status: 'done', closedAt: sent.sentAt });
    // Triggered by preserve-evidence: the disclosure notices and the identifier lookups, due from the moment it was done.
    expect(after.now.filter((step) => step.triggeredAt === sent.sentAt).map((step) => step.key).sort()).toEqual(['data-requests', 'identifier-lookups']);
    // The step of its kind stays pending: this request answered the step it named.
    expect(after.now.map((step) => step.key)).toContain('platform-preservation.instagram');
    const changes = (await timelineActions(caseId, officer)).filter((entry) => entry.action === 'case.checklist_changed').at(-1);
    expect(changes?.changes).toEqual({ 'data-requests': 'added', 'identifier-lookups': 'added' });
  });

  it('sends once under an Idempotency-Key: a retry gets the same answer and the step is completed once', async () => {
    const { caseId, officer, tenant } = await caseAtStation();
    const preservation = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation' });
    await moved(caseId, preservation.id, officer, { to: 'approved' });
    const headers = { 'Idempotency-Key': crypto.randomUUID() };
    const first = await moved(caseId, preservation.id, officer, { to: 'sent' }, headers);
    const retry = await moved(caseId, preservation.id, officer, { to: 'sent' }, headers);
    expect(retry).toEqual(first);
    await expectProblem(await moveRequest(caseId, preservation.id, officer, { to: 'sent' }), 409, 'illegal_transition');
    const events = await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode));
    expect(events.filter((event) => event.action === 'platform_request.sent')).toHaveLength(1);
    expect(events.filter((event) => event.action === 'sop.step_done').map((event) => (event.changes as { stepKey: string }).stepKey)).toEqual(['platform-preservation.instagram']);
  });

  it('gives a sent preservation request the platform\'s preservation period and a reminder before it lapses; refusal clears the reminder', async () => {
    const { caseId, officer, admin, tenant } = await caseAtStation();
    const send = async (platformKey: string) => {
      const draft = await drafted(caseId, officer, { platformKey, kind: 'preservation' });
      await moved(caseId, draft.id, officer, { to: 'approved' });
      return moved(caseId, draft.id, officer, { to: 'sent' });
    };
    const instagram = await send('instagram');
    const window = preservationWindow(new Date(instagram.sentAt!), 90)!;
    expect(instagram.preservationUntil).toBe(window.preservationUntil.toISOString());
    expect(instagram.reminderAt).toBe(window.reminderAt.toISOString());
    expect(Date.parse(instagram.preservationUntil!) - Date.parse(instagram.reminderAt!)).toBe(7 * 86_400_000);

    // The unit's own entry sets a short period: the reminder falls half-way.
    const put = await api(`/v1/units/${tenant.unitCode}/platforms/snapchat`, { method: 'PUT', token: admin, body: { name: 'Snapchat', category: 'social', preservationDays: 5 } });
    expect(put.status).toBe(201);
    const snapchat = await send('snapchat');
    expect(Date.parse(snapchat.preservationUntil!) - Date.parse(snapchat.sentAt!)).toBe(5 * 86_400_000);
    expect(Date.parse(snapchat.preservationUntil!) - Date.parse(snapchat.reminderAt!)).toBe(2 * 86_400_000);

    // The directory gives Telegram no period: the default for messaging services holds (90 days), with its reminder.
    const telegram = await send('telegram');
    expect(Date.parse(telegram.preservationUntil!) - Date.parse(telegram.sentAt!)).toBe(90 * 86_400_000);
    expect(Date.parse(telegram.preservationUntil!) - Date.parse(telegram.reminderAt!)).toBe(7 * 86_400_000);

    const refused = await moved(caseId, instagram.id, officer, { to: 'refused', note: 'No such account' });
    expect(refused).toMatchObject({ reminderAt: null, preservationUntil: instagram.preservationUntil, respondedAt: refused.updatedAt });
  });
});
