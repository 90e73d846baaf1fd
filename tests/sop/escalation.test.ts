import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { eventCatalogue } from '../../src/events/catalogue.js';
import { getCaseSopRoute } from '../../src/routes/cases/get-case-sop.js';
import { getCaseTimelineRoute } from '../../src/routes/cases/get-case-timeline.js';
import { recordStepOutcomeRoute } from '../../src/routes/cases/record-step-outcome.js';
import { transitionCaseRoute } from '../../src/routes/cases/transition-case.js';
import { updateCaseRoute } from '../../src/routes/cases/update-case.js';
import { listStationDueStepsRoute } from '../../src/routes/due/list-station-due.js';
import { listUnitDueStepsRoute } from '../../src/routes/due/list-unit-due.js';
import { createSopDraftRoute } from '../../src/routes/sops/create-sop-draft.js';
import { publishSopRoute } from '../../src/routes/sops/publish-sop.js';
import { escalateOverdue, runScheduledWork } from '../../src/scheduled.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { reportTestCase } from '../support/cases.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';
import { testNow } from '../support/clock.js';

/*
 * The sweep is global: it escalates every unit's overdue steps as of the `now` it is given.
 * So each case here has its SOP clocks moved back to 2001 (as the owner), and the sweeps run
 * at clocks in 2001: they reach these cases only, never another test file's, whose deadlines
 * all lie after the real time.
 */
const sweep = (now: Date) => runScheduledWork(appConfig(), now, { escalateOverdue });

const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000);
const iso = (value: string | Date) => new Date(value).toISOString();

async function checklistOf(caseId: string, token: string) {
  return parseResponse(getCaseSopRoute, 200, await api(`/v1/cases/${caseId}/sop`, { token }));
}

async function stepOf(caseId: string, token: string, key: string) {
  const checklist = await checklistOf(caseId, token);
  const step = [...checklist.now, ...checklist.closed].find((candidate) => candidate.key === key);
  if (!step) throw new Error(`no step ${key} on case ${caseId}`);
  return step;
}

/** The unit's escalation audit events for one step key, oldest first. */
async function escalationEvents(tenant: TestTenant, stepKey: string) {
  const events = await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode));
  return events.filter((event) => event.action === 'sop.step_escalated' && (event.changes as { stepKey?: string }).stepKey === stepKey);
}

/** The integration events the sweep wrote for one case and step, read as the owner. */
/** The escalation events of a step (the case's other events, such as step.completed, aside). */
async function integrationEvents(caseId: string, stepKey: string) {
  const owner = openHttpDatabase(ownerConfig());
  const { rows } = await owner.execute<{ type: string; unitCode: string; payload: Record<string, unknown>; occurredAt: string }>(sql`
    select e.type, u.code as "unitCode", e.payload, e.occurred_at as "occurredAt"
      from integration_events e join units u on u.id = e.unit_id
     where e.case_id = ${caseId} and e.payload->>'stepKey' = ${stepKey} and e.type = 'step.escalated'
     order by e.occurred_at, e.id`);
  return rows;
}

/** Moves a case back to January 2001: its report, payments, deadlines and escalations alike (steps added later follow). */
async function intoTheYear2001(caseId: string) {
  const owner = openHttpDatabase(ownerConfig());
  const back = sql`${testNow().getTime() - Date.parse('2001-01-01T00:00:00Z')} * interval '1 millisecond'`;
  await owner.execute(sql`update cases set reported_at = reported_at - ${back} where id = ${caseId}`);
  await owner.execute(sql`update case_payments set paid_at = paid_at - ${back} where case_id = ${caseId}`);
  await owner.execute(sql`
    update case_steps set triggered_at = triggered_at - ${back}, due_at = due_at - ${back}, next_escalation_at = next_escalation_at - ${back}
     where case_id = ${caseId}`);
}

/**
 * A step of the unit's own whose chain ends at the state cyber unit's duty officer, who is then
 * told again every 20 minutes: independent of the base SOP's chains.
 */
const alertStateUnit = {
  key: 'alert-state-unit',
  title: { en: 'Tell the state cyber unit of the threat' },
  instructions: { en: 'Call the state cyber unit\'s duty officer with the case number and the threat.' },
  ownerRole: 'investigating_officer',
  trigger: { event: 'case_reported' },
  deadline: { minutes: 30 },
  kind: 'policy',
  conditions: {},
  dependsOn: [],
  escalation: [
    { role: 'station_house_officer', afterMinutes: 0 },
    { role: 'unit_supervisor', afterMinutes: 30 },
  ],
  escalationRepeatMinutes: 20,
  legalRefs: [],
};

async function publishOverlay(tenant: TestTenant, body: unknown) {
  const token = await tokenFor.unit(tenant.unitCode);
  const draft = await parseResponse(createSopDraftRoute, 201, await api('/v1/sops', { method: 'POST', token, body: { layer: 'unit', title: 'State unit alerts', body } }));
  await parseResponse(publishSopRoute, 200, await api(`/v1/sops/${draft.id}/publish`, { method: 'POST', token }));
}

/** The step's escalated_role column, read as the owner. */
async function escalatedRoleOf(caseId: string, stepKey: string) {
  const owner = openHttpDatabase(ownerConfig());
  const { rows } = await owner.execute<{ role: string | null }>(sql`select escalated_role as role from case_steps where case_id = ${caseId} and step_key = ${stepKey}`);
  return rows[0]!.role;
}

async function newCase(overlay?: unknown) {
  const tenant = await createTestTenant();
  if (overlay) await publishOverlay(tenant, overlay);
  const reported = await reportTestCase(tenant);
  await intoTheYear2001(reported.id);
  const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
  return { tenant, caseId: reported.id, version: reported.version, officer };
}

describe('the escalation sweep (escalateOverdue, with the clock passed in)', () => {
  it('moves an overdue step up its chain a level at a time, once per level however often it runs, visible on the checklist, the audit trail and the integration events', async () => {
    const { tenant, caseId, officer } = await newCase();
    const start = await stepOf(caseId, officer, 'victim-safety');
    const due = start.dueAt;
    expect(start).toMatchObject({ escalationLevel: 0, nextEscalationAt: due });

    // Before the deadline: nothing.
    await sweep(minutesAfter(due, -1));
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ escalationLevel: 0, nextEscalationAt: due });
    expect(await escalationEvents(tenant, 'victim-safety')).toEqual([]);

    // A minute late: the station house officer hears of it, once, however often the sweep runs at that moment (overlapping or not).
    const firstRun = minutesAfter(due, 1);
    await Promise.all([sweep(firstRun), sweep(firstRun)]);
    await sweep(firstRun);
    // The victim-safety chain is short (base SOP v2): the district 15 minutes after the deadline, the state unit's supervisor 30.
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ status: 'pending', escalationLevel: 1, nextEscalationAt: iso(minutesAfter(due, 15)) });
    const audited = await escalationEvents(tenant, 'victim-safety');
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor).toMatchObject({ issuer: 'urn:sextortion-sop-api:scheduler', subject: 'sop-escalation-sweep' });
    expect(audited[0]!.target.type).toBe('case_step');
    const changes = audited[0]!.changes as { level: number; role: string; dueAt: string; asOf: string };
    expect({ level: changes.level, role: changes.role, dueAt: iso(changes.dueAt), asOf: iso(changes.asOf) }).toEqual({
      level: 1,
      role: 'station_house_officer',
      dueAt: due,
      asOf: firstRun.toISOString(),
    });
    const published = await integrationEvents(caseId, 'victim-safety');
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ type: 'step.escalated', unitCode: tenant.unitCode, payload: { stepKey: 'victim-safety', level: 1, role: 'station_house_officer' } });
    expect(published[0]!.payload.caseStepId).toBe(audited[0]!.target.id);
    // As the catalogue published under webhooks: promises it.
    expect(eventCatalogue['step.escalated'].data.parse(published[0]!.payload)).toMatchObject({ caseId, districtId: expect.any(String), stationId: expect.any(String) });
    expect(iso(published[0]!.occurredAt)).toBe(firstRun.toISOString());
    const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline?limit=200`, { token: officer }));
    expect(timeline.data.filter((entry) => entry.action === 'sop.step_escalated' && entry.changes.stepKey === 'victim-safety')).toHaveLength(1);

    // Not yet the next level at due + 14 minutes; the district supervisor at due + 16.
    await sweep(minutesAfter(due, 14));
    expect((await stepOf(caseId, officer, 'victim-safety')).escalationLevel).toBe(1);
    await sweep(minutesAfter(due, 16));
    await sweep(minutesAfter(due, 16));
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ escalationLevel: 2, nextEscalationAt: iso(minutesAfter(due, 30)) });

    // The state cyber unit's supervisor last, then again every 30 minutes from each alert until someone acts.
    await sweep(minutesAfter(due, 31));
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ escalationLevel: 3, nextEscalationAt: iso(minutesAfter(due, 61)), status: 'pending' });
    await sweep(minutesAfter(due, 60));
    expect((await stepOf(caseId, officer, 'victim-safety')).escalationLevel).toBe(3);
    await sweep(minutesAfter(due, 61));
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ escalationLevel: 4, nextEscalationAt: iso(minutesAfter(due, 91)) });

    const levels = (await escalationEvents(tenant, 'victim-safety')).map((event) => event.changes as { level: number; role: string });
    expect(levels.map(({ level, role }) => ({ level, role }))).toEqual([
      { level: 1, role: 'station_house_officer' },
      { level: 2, role: 'district_supervisor' },
      { level: 3, role: 'unit_supervisor' },
      { level: 4, role: 'unit_supervisor' },
    ]);
    expect((await integrationEvents(caseId, 'victim-safety')).map((event) => event.payload.level)).toEqual([1, 2, 3, 4]);
  });

  it('never escalates a step closed before its deadline, while its pending sibling with the same deadline goes up the whole chain', async () => {
    const { tenant, caseId, officer } = await newCase();
    const closed = await parseResponse(
      recordStepOutcomeRoute,
      200,
      await api(`/v1/cases/${caseId}/sop/steps/victim-safety`, { method: 'POST', token: officer, body: { outcome: 'done' } }),
    );
    expect(closed.nextEscalationAt).toBeNull();
    const sibling = await stepOf(caseId, officer, 'stop-the-harm');
    expect(sibling.dueAt).toBe(closed.dueAt);

    for (const minutes of [1, 61, 241]) await sweep(minutesAfter(closed.dueAt, minutes));

    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ status: 'done', escalationLevel: 0, nextEscalationAt: null });
    expect(await stepOf(caseId, officer, 'stop-the-harm')).toMatchObject({ status: 'pending', escalationLevel: 3 });
    expect(await escalationEvents(tenant, 'victim-safety')).toEqual([]);
    expect(await integrationEvents(caseId, 'victim-safety')).toEqual([]);
    expect(await escalationEvents(tenant, 'stop-the-harm')).toHaveLength(3);
  });

  it('never escalates a retired step, while the step that replaced it (same deadline) does', async () => {
    const { tenant, caseId, version, officer } = await newCase();
    await parseResponse(
      updateCaseRoute,
      200,
      await api(`/v1/cases/${caseId}`, { method: 'PATCH', token: officer, headers: { 'If-Match': `"v${version}"` }, body: { victim: { name: 'Rohan Deshmukh', age: 19 } } }),
    );
    const retired = await stepOf(caseId, officer, 'block-reuploads-minor');
    expect(retired).toMatchObject({ status: 'retired', nextEscalationAt: null });
    const replacement = await stepOf(caseId, officer, 'block-reuploads-adult');
    expect(replacement.dueAt).toBe(retired.dueAt);

    for (const minutes of [1, 61, 241]) await sweep(minutesAfter(retired.dueAt, minutes));

    expect(await stepOf(caseId, officer, 'block-reuploads-minor')).toMatchObject({ status: 'retired', escalationLevel: 0 });
    expect(await stepOf(caseId, officer, 'block-reuploads-adult')).toMatchObject({ status: 'pending', escalationLevel: 3 });
    expect(await escalationEvents(tenant, 'block-reuploads-minor')).toEqual([]);
    expect(await integrationEvents(caseId, 'block-reuploads-minor')).toEqual([]);
  });

  it('closing a case retires its pending steps, so nothing of it escalates or stays due; reopening brings them back, and they escalate again', async () => {
    const { tenant, caseId, officer } = await newCase();
    const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
    const transition = (body: Record<string, unknown>) => api(`/v1/cases/${caseId}/transitions`, { method: 'POST', token: sho, body });
    await parseResponse(recordStepOutcomeRoute, 200, await api(`/v1/cases/${caseId}/sop/steps/stop-the-harm`, { method: 'POST', token: officer, body: { outcome: 'done' } }));
    const pendingBefore = (await checklistOf(caseId, officer)).now.map((step) => step.key);
    expect(pendingBefore).toContain('victim-safety');
    const due = (await stepOf(caseId, officer, 'victim-safety')).dueAt;

    await parseResponse(transitionCaseRoute, 200, await transition({ to: 'closed', closureReason: 'complainant_withdrew', reason: 'Withdrawn' }));
    const closed = await checklistOf(caseId, officer);
    expect(closed.now).toEqual([]);
    for (const key of pendingBefore) expect(closed.closed.find((step) => step.key === key)).toMatchObject({ status: 'retired', reason: 'the case was closed', nextEscalationAt: null });
    // What was done before closing stays done.
    expect(closed.closed.find((step) => step.key === 'stop-the-harm')).toMatchObject({ status: 'done' });

    await sweep(minutesAfter(due, 1));
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ status: 'retired', escalationLevel: 0 });
    expect(await escalationEvents(tenant, 'victim-safety')).toEqual([]);
    const dueList = await parseResponse(listStationDueStepsRoute, 200, await api(`/v1/stations/${tenant.stationCodes[0]}/due?limit=200&window=all`, { token: officer }));
    expect(dueList.data.filter((item) => item.caseId === caseId)).toEqual([]);

    // Reopened: the retired steps are pending again with their original deadlines, and the sweep takes them up.
    await parseResponse(transitionCaseRoute, 200, await transition({ to: 'under_investigation', reason: 'The offender made contact again' }));
    const reopened = await checklistOf(caseId, officer);
    expect(reopened.now.map((step) => step.key).sort()).toEqual([...pendingBefore].sort());
    expect(reopened.now.find((step) => step.key === 'victim-safety')).toMatchObject({ dueAt: due, escalationLevel: 0, nextEscalationAt: due, reason: null });
    await sweep(minutesAfter(due, 1));
    expect(await stepOf(caseId, officer, 'victim-safety')).toMatchObject({ status: 'pending', escalationLevel: 1 });
    expect(await escalationEvents(tenant, 'victim-safety')).toHaveLength(1);
  });
});

describe('repeat alerts at the top of the chain (escalationRepeatMinutes)', () => {
  it('tells the last role again at the interval after each alert, a level at a time past the chain, until the step is closed', async () => {
    const { tenant, caseId, officer } = await newCase({ steps: [alertStateUnit] });
    const key = alertStateUnit.key;
    const due = (await stepOf(caseId, officer, key)).dueAt;
    expect(await escalatedRoleOf(caseId, key)).toBeNull();

    await sweep(minutesAfter(due, 1));
    expect(await stepOf(caseId, officer, key)).toMatchObject({ escalationLevel: 1, nextEscalationAt: iso(minutesAfter(due, 30)) });
    expect(await escalatedRoleOf(caseId, key)).toBe('station_house_officer');

    // The top of the chain at due + 31; the first repeat falls due 20 minutes after that alert.
    await sweep(minutesAfter(due, 31));
    expect(await stepOf(caseId, officer, key)).toMatchObject({ escalationLevel: 2, nextEscalationAt: iso(minutesAfter(due, 51)) });
    expect(await escalatedRoleOf(caseId, key)).toBe('unit_supervisor');
    await sweep(minutesAfter(due, 50));
    expect((await stepOf(caseId, officer, key)).escalationLevel).toBe(2);

    // Once per repeat, however often the sweep runs at that moment.
    const firstRepeat = minutesAfter(due, 51);
    await Promise.all([sweep(firstRepeat), sweep(firstRepeat)]);
    await sweep(firstRepeat);
    expect(await stepOf(caseId, officer, key)).toMatchObject({ status: 'pending', escalationLevel: 3, nextEscalationAt: iso(minutesAfter(due, 71)) });

    // A late sweep: the next repeat counts from when this alert went out, so no burst of catching up.
    await sweep(minutesAfter(due, 80));
    expect(await stepOf(caseId, officer, key)).toMatchObject({ escalationLevel: 4, nextEscalationAt: iso(minutesAfter(due, 100)) });
    await sweep(minutesAfter(due, 99));
    expect((await stepOf(caseId, officer, key)).escalationLevel).toBe(4);
    expect(await escalatedRoleOf(caseId, key)).toBe('unit_supervisor');

    // Someone acts: no more alerts, however long the sweep goes on.
    const closed = await parseResponse(recordStepOutcomeRoute, 200, await api(`/v1/cases/${caseId}/sop/steps/${key}`, { method: 'POST', token: officer, body: { outcome: 'done' } }));
    expect(closed).toMatchObject({ status: 'done', escalationLevel: 4, nextEscalationAt: null });
    for (const minutes of [100, 121, 600]) await sweep(minutesAfter(due, minutes));
    expect(await stepOf(caseId, officer, key)).toMatchObject({ status: 'done', escalationLevel: 4, nextEscalationAt: null });

    const audited = (await escalationEvents(tenant, key)).map((event) => event.changes as { level: number; role: string; asOf: string; repeat: boolean });
    expect(audited.map(({ level, role, asOf, repeat }) => ({ level, role, asOf: iso(asOf), repeat }))).toEqual([
      { level: 1, role: 'station_house_officer', asOf: iso(minutesAfter(due, 1)), repeat: false },
      { level: 2, role: 'unit_supervisor', asOf: iso(minutesAfter(due, 31)), repeat: false },
      { level: 3, role: 'unit_supervisor', asOf: iso(minutesAfter(due, 51)), repeat: true },
      { level: 4, role: 'unit_supervisor', asOf: iso(minutesAfter(due, 80)), repeat: true },
    ]);
    const published = await integrationEvents(caseId, key);
    expect(published.map((event) => ({ type: event.type, level: event.payload.level, role: event.payload.role, repeat: event.payload.repeat, at: iso(event.occurredAt) }))).toEqual([
      { type: 'step.escalated', level: 1, role: 'station_house_officer', repeat: false, at: iso(minutesAfter(due, 1)) },
      { type: 'step.escalated', level: 2, role: 'unit_supervisor', repeat: false, at: iso(minutesAfter(due, 31)) },
      { type: 'step.escalated', level: 3, role: 'unit_supervisor', repeat: true, at: iso(minutesAfter(due, 51)) },
      { type: 'step.escalated', level: 4, role: 'unit_supervisor', repeat: true, at: iso(minutesAfter(due, 80)) },
    ]);
  });

  it('without escalationRepeatMinutes the chain ends at its last level, as before', async () => {
    const { escalationRepeatMinutes: _repeat, ...once } = alertStateUnit;
    const { caseId, officer } = await newCase({ steps: [once] });
    const key = alertStateUnit.key;
    const due = (await stepOf(caseId, officer, key)).dueAt;
    for (const minutes of [1, 31]) await sweep(minutesAfter(due, minutes));
    expect(await stepOf(caseId, officer, key)).toMatchObject({ escalationLevel: 2, nextEscalationAt: null });
    for (const minutes of [51, 200]) await sweep(minutesAfter(due, minutes));
    expect(await stepOf(caseId, officer, key)).toMatchObject({ status: 'pending', escalationLevel: 2, nextEscalationAt: null });
    expect(await escalatedRoleOf(caseId, key)).toBe('unit_supervisor');
    expect((await integrationEvents(caseId, key)).map((event) => event.payload.level)).toEqual([1, 2]);
  });
});

describe('the due lists of what was escalated to me', () => {
  it('find a step by the role its latest escalation reached, for a named role or the caller\'s own, as it moves up', async () => {
    const { tenant, caseId, officer } = await newCase({ steps: [alertStateUnit] });
    const key = alertStateUnit.key;
    const due = (await stepOf(caseId, officer, key)).dueAt;
    const supervisor = await tokenFor.supervisor(tenant.unitCode);
    const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
    const unitList = async (token: string, at: Date, query: string) =>
      parseResponse(listUnitDueStepsRoute, 200, await api(`/v1/units/${tenant.unitCode}/due?limit=200&window=all&${query}`, { token, at }));
    const stationList = async (token: string, at: Date, query: string) =>
      parseResponse(listStationDueStepsRoute, 200, await api(`/v1/stations/${tenant.stationCodes[0]}/due?limit=200&window=all&${query}`, { token, at }));
    const ours = (page: { data: Array<{ caseId: string; key: string }> }) => page.data.find((item) => item.caseId === caseId && item.key === key);

    // Run to a standstill at that clock: the older deadlines (the 1930 call) reach the top of their
    // chains, so no sweep elsewhere at the start of 2001 moves a step between the lists compared below.
    for (let run = 0; run < 6; run += 1) await sweep(minutesAfter(due, 1));
    const atSho = minutesAfter(due, 2);
    const everything = await unitList(supervisor, atSho, '');
    expect(ours(everything)).toMatchObject({ ownerRole: 'investigating_officer', escalationLevel: 1, escalatedRole: 'station_house_officer', state: 'overdue' });
    const toSho = await unitList(supervisor, atSho, 'escalatedTo=station_house_officer');
    expect(toSho.data).toEqual(everything.data.filter((item) => item.escalatedRole === 'station_house_officer'));
    expect(ours(toSho)).toBeDefined();
    expect(toSho.counts.escalated).toBe(toSho.data.length);
    expect(toSho.counts.overdue + toSho.counts.dueSoon + toSho.counts.later).toBe(toSho.data.length);
    // Owned by is not escalated to: the station house officer owns none of these.
    const ownedBySho = await unitList(supervisor, atSho, 'ownerRole=station_house_officer');
    expect(ownedBySho.data.filter((item) => item.key === key)).toEqual([]);

    const shoStation = await stationList(sho, atSho, '');
    const mineAsSho = await stationList(sho, atSho, 'escalatedToMe=true');
    expect(mineAsSho.data).toEqual(shoStation.data.filter((item) => item.escalatedRole === 'station_house_officer'));
    expect(ours(mineAsSho)).toBeDefined();
    expect(ours(await unitList(supervisor, atSho, 'escalatedToMe=true'))).toBeUndefined();
    // Both filters: the named role and one of the caller's.
    expect((await stationList(sho, atSho, 'escalatedToMe=true&escalatedTo=unit_supervisor')).data).toEqual([]);

    await sweep(minutesAfter(due, 31));
    const atSupervisor = minutesAfter(due, 32);
    const mineAsSupervisor = await unitList(supervisor, atSupervisor, 'escalatedToMe=true');
    expect(ours(mineAsSupervisor)).toMatchObject({ escalationLevel: 2, escalatedRole: 'unit_supervisor' });
    for (const item of mineAsSupervisor.data) expect(item.escalatedRole).toBe('unit_supervisor');
    expect(ours(await stationList(sho, atSupervisor, 'escalatedToMe=true'))).toBeUndefined();
    // The default window (due now) at that clock still has it: it is overdue.
    expect(ours(await parseResponse(listUnitDueStepsRoute, 200, await api(`/v1/units/${tenant.unitCode}/due?limit=200&escalatedToMe=true`, { token: supervisor, at: atSupervisor })))).toMatchObject({
      state: 'overdue',
      overdue: true,
    });

    await expectProblem(await api(`/v1/units/${tenant.unitCode}/due?escalatedTo=chief_minister`, { token: supervisor }), 400, 'validation_failed');
  });
});
