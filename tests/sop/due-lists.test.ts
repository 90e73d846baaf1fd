import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { getCaseSopRoute } from '../../src/routes/cases/get-case-sop.js';
import { recordStepOutcomeRoute } from '../../src/routes/cases/record-step-outcome.js';
import { transferCaseRoute } from '../../src/routes/cases/transfer-case.js';
import { listDistrictDueStepsRoute } from '../../src/routes/due/list-district-due.js';
import { listStationDueStepsRoute } from '../../src/routes/due/list-station-due.js';
import { listUnitDueStepsRoute } from '../../src/routes/due/list-unit-due.js';
import { api, expectProblem } from '../support/api.js';
import { reportTestCase } from '../support/cases.js';
import { testNow } from '../support/clock.js';
import { ownerConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

type Scope = 'stations' | 'districts' | 'units';
const routeOf = { stations: listStationDueStepsRoute, districts: listDistrictDueStepsRoute, units: listUnitDueStepsRoute } as const;

async function duePage(scope: Scope, code: string, token: string, query: Record<string, string> = {}, at?: Date) {
  const search = new URLSearchParams(query).toString();
  const page = await parseResponse(routeOf[scope], 200, await api(`/v1/${scope}/${code}/due${search ? `?${search}` : ''}`, { token, at }));
  // Escalation levels move whenever a test elsewhere runs the global sweep: lists are compared without them.
  return { ...page, data: page.data.map(({ escalationLevel: _moving, ...item }) => item) };
}

/** Every page, following nextCursor; with the pages themselves, to check their sizes. */
async function walk(scope: Scope, code: string, token: string, query: Record<string, string>, at?: Date) {
  const pages = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard += 1) {
    const page = await duePage(scope, code, token, cursor ? { ...query, cursor } : query, at);
    pages.push(page);
    cursor = page.pagination.nextCursor;
    expect(page.pagination.hasMore).toBe(cursor !== null);
    if (!cursor) return { pages, items: pages.flatMap((p) => p.data) };
  }
  throw new Error('pagination did not end');
}

type DueItem = Awaited<ReturnType<typeof duePage>>['data'][number];

/** What a due list should hold for these cases: their pending steps, as their checklists say. */
async function pendingStepsOf(caseIds: string[], token: string) {
  const steps = [];
  for (const caseId of caseIds) {
    const checklist = await parseResponse(getCaseSopRoute, 200, await api(`/v1/cases/${caseId}/sop`, { token }));
    steps.push(...checklist.now.map((step) => ({ caseId, key: step.key, dueAt: step.dueAt, ownerRole: step.ownerRole })));
  }
  return steps;
}

const identity = (item: { caseId: string; key: string; dueAt: string; ownerRole: string }) => `${item.caseId} ${item.key} ${item.dueAt} ${item.ownerRole}`;
const asSet = (items: Array<{ caseId: string; key: string; dueAt: string; ownerRole: string }>) => items.map(identity).sort();

function expectSoonestFirst(items: DueItem[]) {
  const times = items.map((item) => Date.parse(item.dueAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

/**
 * A unit with two cases at station A, one at station B (same district) and one at station C
 * (the other district); every case the default intake (11 pending steps each).
 */
async function unitWithCases() {
  const tenant = await createTestTenant();
  const [stationA, stationB, stationC] = tenant.stationCodes;
  const at = async (station: string) => (await reportTestCase(tenant, {}, await tokenFor.station(tenant.unitCode, station, 'duty_officer'))).id;
  const first = await at(stationA);
  const second = await at(stationA);
  const atB = await at(stationB);
  const atC = await at(stationC);
  const tokens = {
    stationA: await tokenFor.station(tenant.unitCode, stationA),
    stationB: await tokenFor.station(tenant.unitCode, stationB),
    north: await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
    south: await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
    unit: await tokenFor.unit(tenant.unitCode),
  };
  return { tenant, cases: { first, second, atB, atC }, tokens };
}

describe('GET /v1/stations/{stationCode}/due', () => {
  it('lists every pending step of the cases held there with window=all, soonest first, with the overdue ones flagged', async () => {
    const { tenant, cases, tokens } = await unitWithCases();
    const page = await duePage('stations', tenant.stationCodes[0], tokens.stationA, { limit: '200', window: 'all' });
    expect(page.pagination).toEqual({ nextCursor: null, hasMore: false });
    expect(asSet(page.data)).toEqual(asSet(await pendingStepsOf([cases.first, cases.second], tokens.stationA)));
    expect(page.data).toHaveLength(28);
    expectSoonestFirst(page.data);
    // Yesterday's payment: its golden hour is long gone and leads the list; everything else is still ahead.
    expect(page.data.slice(0, 2).map((item) => item.key)).toEqual(['report-1930', 'report-1930']);
    expect(page.data.filter((item) => item.overdue).map((item) => item.key)).toEqual(['report-1930', 'report-1930']);
    for (const item of page.data) expect(item).toMatchObject({ stationCode: tenant.stationCodes[0], caseStatus: 'reported' });
    expect(page.data.find((item) => item.key === 'victim-safety')!.title).toEqual({ en: 'Screen the victim for self-harm risk' });
  });

  it('filters by `before` (e.g. the end of a shift) and by `ownerRole`, alone and together', async () => {
    const { tenant, cases, tokens } = await unitWithCases();
    const station = tenant.stationCodes[0];
    const all = (await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all' })).data;
    const victimSafety = all.filter((item) => item.key === 'victim-safety').map((item) => item.dueAt).sort();
    // Everything due before the second case's victim-safety deadline plus 45 minutes.
    const before = new Date(Date.parse(victimSafety.at(-1)!) + 45 * 60_000).toISOString();

    const early = (await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all', before })).data;
    expect(early).toEqual(all.filter((item) => Date.parse(item.dueAt) < Date.parse(before)));
    expect(early.map((item) => item.key).sort()).toEqual(['preserve-evidence', 'report-1930', 'report-1930', 'stop-the-harm', 'stop-the-harm', 'victim-safety', 'victim-safety']);

    const forSho = (await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all', ownerRole: 'station_house_officer' })).data;
    expect(forSho).toEqual(all.filter((item) => item.ownerRole === 'station_house_officer'));
    expect(forSho.map((item) => `${item.caseId === cases.first ? 'first' : 'second'} ${item.key}`).sort()).toEqual([
      'first action-taken-report',
      'first pocso-report',
      'first register-fir',
      'second action-taken-report',
      'second pocso-report',
      'second register-fir',
    ]);

    const both = (await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all', before, ownerRole: 'duty_officer' })).data;
    expect(both).toEqual(all.filter((item) => item.ownerRole === 'duty_officer' && Date.parse(item.dueAt) < Date.parse(before)));
    expect(both).toHaveLength(6);

    await expectProblem(await api(`/v1/stations/${station}/due?before=tomorrow`, { token: tokens.stationA }), 400, 'validation_failed');
  });

  it('pages by keyset with limit=3: every step once, in order, across equal deadlines', async () => {
    const { tenant, tokens } = await unitWithCases();
    const station = tenant.stationCodes[0];
    const all = (await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all' })).data;
    const { pages, items } = await walk('stations', station, tokens.stationA, { limit: '3', window: 'all' });
    expect(items).toEqual(all);
    expect(pages).toHaveLength(Math.ceil(all.length / 3));
    for (const page of pages.slice(0, -1)) expect(page.data).toHaveLength(3);
    expect(new Set(items.map((item) => `${item.caseId} ${item.key}`)).size).toBe(items.length);

    // Filtered pages walk the same way.
    const investigating = await walk('stations', station, tokens.stationA, { limit: '3', window: 'all', ownerRole: 'investigating_officer' });
    expect(investigating.items).toEqual(all.filter((item) => item.ownerRole === 'investigating_officer'));

    await expectProblem(await api(`/v1/stations/${station}/due?cursor=not-a-cursor`, { token: tokens.stationA }), 400, 'invalid_cursor');
  });

  it('moves a transferred case\'s steps to its new station and district, and drops steps once done', async () => {
    const { tenant, cases, tokens } = await unitWithCases();
    const [stationA, , , cyber] = tenant.stationCodes;
    const sho = await tokenFor.station(tenant.unitCode, stationA, 'station_house_officer');
    await parseResponse(
      transferCaseRoute,
      200,
      await api(`/v1/cases/${cases.first}/transfer`, { method: 'POST', token: sho, body: { toStationCode: cyber, reason: 'Money traced: cyber PS' } }),
    );
    const cyberOfficer = await tokenFor.station(tenant.unitCode, cyber);

    const atA = (await duePage('stations', stationA, tokens.stationA, { limit: '200', window: 'all' })).data;
    expect(new Set(atA.map((item) => item.caseId))).toEqual(new Set([cases.second]));
    const atCyber = (await duePage('stations', cyber, cyberOfficer, { limit: '200', window: 'all' })).data;
    expect(asSet(atCyber)).toEqual(asSet(await pendingStepsOf([cases.first], cyberOfficer)));
    for (const item of atCyber) expect(item).toMatchObject({ stationCode: cyber, caseStatus: 'transferred' });

    const north = (await duePage('districts', tenant.districtCodes[0], tokens.north, { limit: '200', window: 'all' })).data;
    expect(new Set(north.map((item) => item.caseId))).toEqual(new Set([cases.second, cases.atB]));
    const south = (await duePage('districts', tenant.districtCodes[1], tokens.south, { limit: '200', window: 'all' })).data;
    expect(new Set(south.map((item) => item.caseId))).toEqual(new Set([cases.first, cases.atC]));

    // Done steps leave the list; the steps they start join it.
    const officerA = tokens.stationA;
    for (const key of ['victim-safety', 'preserve-evidence']) {
      await parseResponse(recordStepOutcomeRoute, 200, await api(`/v1/cases/${cases.second}/sop/steps/${key}`, { method: 'POST', token: officerA, body: { outcome: 'done' } }));
    }
    const afterWork = (await duePage('stations', stationA, officerA, { limit: '200', window: 'all' })).data;
    const keys = afterWork.map((item) => item.key);
    expect(keys).not.toContain('victim-safety');
    expect(keys).not.toContain('preserve-evidence');
    expect(keys).toEqual(expect.arrayContaining(['data-requests', 'identifier-lookups']));
    expect(asSet(afterWork)).toEqual(asSet(await pendingStepsOf([cases.second], officerA)));
    expectSoonestFirst(afterWork);
  });
});

const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);
const keysOf = (items: DueItem[]) => items.map((item) => item.key).sort();

/**
 * Marks steps as escalated, as the owner. The sweep that does it for real is global (it would
 * reach every test's rows at today's clock), so tests/sop/escalation.test.ts runs it in 2001.
 */
async function escalate(caseId: string, stepKey: string, level: number, role: string) {
  const owner = openHttpDatabase(ownerConfig());
  await owner.execute(sql`update case_steps set escalation_level = ${level}, escalated_role = ${role} where case_id = ${caseId} and step_key = ${stepKey}`);
}

describe('due now: the default window', () => {
  it('lists only the overdue steps and those due within the hour, with counts per state for the whole station', async () => {
    const { tenant, tokens } = await unitWithCases();
    const station = tenant.stationCodes[0];
    const at = testNow();
    const all = await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all' }, at);
    const dueNow = await duePage('stations', station, tokens.stationA, { limit: '200' }, at);

    expect(dueNow.data).toEqual(all.data.filter((item) => Date.parse(item.dueAt) < minutesAfter(at, 60).getTime()));
    // The golden hour of the payment is gone; safety, stopping the harm and the evidence are due within the hour. Nothing of the days ahead.
    expect(keysOf(dueNow.data)).toEqual(['preserve-evidence', 'preserve-evidence', 'report-1930', 'report-1930', 'stop-the-harm', 'stop-the-harm', 'victim-safety', 'victim-safety']);
    expect(dueNow.data.filter((item) => item.state === 'overdue').map((item) => item.key)).toEqual(['report-1930', 'report-1930']);
    for (const item of dueNow.data) expect(item.overdue).toBe(item.state === 'overdue');
    expect(dueNow.data.filter((item) => item.state === 'due_soon')).toHaveLength(6);
    expect(all.data.filter((item) => item.state === 'later')).toHaveLength(20);
    expect(dueNow).toMatchObject({ asOf: at.toISOString(), dueSoonUntil: minutesAfter(at, 60).toISOString(), pagination: { nextCursor: null, hasMore: false } });

    // The counts are the station's, whichever window or page is asked for.
    const counts = { overdue: 2, dueSoon: 6, later: 20, escalated: 0 };
    expect(dueNow.counts).toEqual(counts);
    expect(all.counts).toEqual(counts);
    expect((await duePage('stations', station, tokens.stationA, { limit: '1' }, at)).counts).toEqual(counts);
  });

  it('takes a window the caller sets, and moves with the request clock', async () => {
    const { tenant, tokens } = await unitWithCases();
    const station = tenant.stationCodes[0];
    const at = testNow();
    const all = (await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all' }, at)).data;
    const within = async (minutes: number, clock = at) => duePage('stations', station, tokens.stationA, { limit: '200', withinMinutes: String(minutes) }, clock);

    const overdueOnly = await within(0);
    expect(keysOf(overdueOnly.data)).toEqual(['report-1930', 'report-1930']);
    expect(overdueOnly.counts).toEqual({ overdue: 2, dueSoon: 0, later: 26, escalated: 0 });
    expect(keysOf((await within(15)).data)).toEqual(['report-1930', 'report-1930', 'stop-the-harm', 'stop-the-harm', 'victim-safety', 'victim-safety']);
    const shift = await within(480);
    // The same steps in the same order; "due soon" now reaches eight hours.
    expect(shift.data.map(identity)).toEqual(all.filter((item) => Date.parse(item.dueAt) < minutesAfter(at, 480).getTime()).map(identity));
    for (const item of shift.data) expect(item.state).toBe(item.overdue ? 'overdue' : 'due_soon');
    expect(shift.data.length).toBeGreaterThan(8);
    expect(shift.counts).toMatchObject({ overdue: 2, dueSoon: shift.data.length - 2, later: 28 - shift.data.length });
    const week = await within(10_080);
    expect(week.data.map(identity)).toEqual(all.filter((item) => Date.parse(item.dueAt) < minutesAfter(at, 10_080).getTime()).map(identity));
    expect(week.data.length).toBeLessThan(all.length);

    // Fifty minutes on, safety and the harm are overdue too, and the evidence is still due soon.
    const later = await duePage('stations', station, tokens.stationA, { limit: '200' }, minutesAfter(at, 50));
    expect(later.counts).toMatchObject({ overdue: 6, dueSoon: 2 });
    expect(later.data.filter((item) => item.state === 'due_soon').map((item) => item.key)).toEqual(['preserve-evidence', 'preserve-evidence']);

    for (const query of ['withinMinutes=10081', 'withinMinutes=-5', 'withinMinutes=soon', 'window=today']) {
      await expectProblem(await api(`/v1/stations/${station}/due?${query}`, { token: tokens.stationA }), 400, 'validation_failed');
    }
  });

  it('pages the due-now list by keyset, with the same counts on every page', async () => {
    const { tenant, tokens } = await unitWithCases();
    const at = testNow();
    const whole = await duePage('units', tenant.unitCode, tokens.unit, { limit: '200' }, at);
    expect(whole.data).toHaveLength(16);
    const { pages, items } = await walk('units', tenant.unitCode, tokens.unit, { limit: '5' }, at);
    expect(items).toEqual(whole.data);
    expect(pages.map((page) => page.data.length)).toEqual([5, 5, 5, 1]);
    for (const page of pages) expect(page.counts).toEqual({ overdue: 4, dueSoon: 12, later: 40, escalated: 0 });
  });
});

describe('due lists by escalation', () => {
  it('count the escalated steps and filter by the role an escalation reached (escalatedTo, escalatedToMe), not the owner', async () => {
    const { tenant, cases, tokens } = await unitWithCases();
    const station = tenant.stationCodes[0];
    await escalate(cases.first, 'victim-safety', 2, 'district_supervisor');
    await escalate(cases.second, 'stop-the-harm', 1, 'station_house_officer');
    await escalate(cases.atB, 'register-fir', 1, 'station_house_officer');
    const at = testNow();

    const dueNow = await duePage('stations', station, tokens.stationA, { limit: '200' }, at);
    expect(dueNow.counts).toEqual({ overdue: 2, dueSoon: 6, later: 20, escalated: 2 });
    expect(dueNow.data.find((item) => item.caseId === cases.first && item.key === 'victim-safety')!.escalatedRole).toBe('district_supervisor');
    expect(dueNow.data.filter((item) => item.escalatedRole !== null)).toHaveLength(2);

    const toDistrict = await duePage('stations', station, tokens.stationA, { limit: '200', escalatedTo: 'district_supervisor' }, at);
    expect(toDistrict.data.map((item) => `${item.caseId} ${item.key} ${item.escalatedRole}`)).toEqual([`${cases.first} victim-safety district_supervisor`]);
    expect(toDistrict.counts).toEqual({ overdue: 0, dueSoon: 1, later: 0, escalated: 1 });
    // Nobody at the district owns the step: by owner, the list is empty.
    expect((await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all', ownerRole: 'district_supervisor' }, at)).data).toEqual([]);

    // "Escalated to me": the district supervisor across the district, the station house officer at the station.
    const mineInDistrict = await duePage('districts', tenant.districtCodes[0], tokens.north, { limit: '200', window: 'all', escalatedToMe: 'true' }, at);
    expect(mineInDistrict.data.map((item) => `${item.caseId} ${item.key}`)).toEqual([`${cases.first} victim-safety`]);
    const sho = await tokenFor.station(tenant.unitCode, station, 'station_house_officer');
    const mineAtStation = await duePage('stations', station, sho, { limit: '200', window: 'all', escalatedToMe: 'true' }, at);
    expect(mineAtStation.data.map((item) => `${item.caseId} ${item.key}`)).toEqual([`${cases.second} stop-the-harm`]);
    expect(mineAtStation.counts).toEqual({ overdue: 0, dueSoon: 1, later: 0, escalated: 1 });
    // Across the unit, station B's escalated step joins, and it is not due now: window=all finds it, the default leaves it in `later`.
    const acrossUnit = await duePage('units', tenant.unitCode, tokens.unit, { limit: '200', escalatedTo: 'station_house_officer' }, at);
    expect(acrossUnit.data.map((item) => item.key)).toEqual(['stop-the-harm']);
    expect(acrossUnit.counts).toEqual({ overdue: 0, dueSoon: 1, later: 1, escalated: 2 });
    const acrossUnitAll = await walk('units', tenant.unitCode, tokens.unit, { limit: '1', window: 'all', escalatedTo: 'station_house_officer' }, at);
    expect(acrossUnitAll.items.map((item) => item.key)).toEqual(['stop-the-harm', 'register-fir']);

    // An investigating officer has nothing escalated to them; false is no filter.
    const mineAsOfficer = await duePage('stations', station, tokens.stationA, { limit: '200', window: 'all', escalatedToMe: 'true' }, at);
    expect(mineAsOfficer).toMatchObject({ data: [], counts: { overdue: 0, dueSoon: 0, later: 0, escalated: 0 } });
    expect((await duePage('stations', station, tokens.stationA, { limit: '200', escalatedToMe: 'false' }, at)).data).toEqual(dueNow.data);
    await expectProblem(await api(`/v1/stations/${station}/due?escalatedTo=platform_admin`, { token: tokens.stationA }), 400, 'validation_failed');
  });
});

describe('GET /v1/districts/{districtCode}/due and /v1/units/{unitCode}/due', () => {
  it('a district lists its stations\' cases and a unit all of them, soonest first', async () => {
    const { tenant, cases, tokens } = await unitWithCases();
    const north = (await duePage('districts', tenant.districtCodes[0], tokens.north, { limit: '200', window: 'all' })).data;
    expect(asSet(north)).toEqual(asSet(await pendingStepsOf([cases.first, cases.second, cases.atB], tokens.north)));
    expectSoonestFirst(north);

    const unit = await walk('units', tenant.unitCode, tokens.unit, { limit: '3', window: 'all' });
    expect(asSet(unit.items)).toEqual(asSet(await pendingStepsOf([cases.first, cases.second, cases.atB, cases.atC], tokens.unit)));
    expect(unit.items).toHaveLength(56);
    expectSoonestFirst(unit.items);
    expect(new Set(unit.items.map((item) => item.stationCode))).toEqual(new Set(tenant.stationCodes.slice(0, 3)));
  });

  it('a station officer asking for the own district sees only the own station\'s cases in it', async () => {
    const { tenant, cases, tokens } = await unitWithCases();
    const north = (await duePage('districts', tenant.districtCodes[0], tokens.stationA, { limit: '200', window: 'all' })).data;
    expect(new Set(north.map((item) => item.caseId))).toEqual(new Set([cases.first, cases.second]));
  });
});

describe('who may read a due list', () => {
  async function expectNotFound(path: string, token: string) {
    await expectProblem(await api(path, { token }), 404, 'not_found');
  }

  it('is 404 for a station or district outside the caller\'s, and for another unit', async () => {
    const { tenant, tokens } = await unitWithCases();
    const other: TestTenant = await createTestTenant();
    const [stationA, stationB, stationC] = tenant.stationCodes;

    // A station officer of A asking for B.
    await expectNotFound(`/v1/stations/${stationB}/due`, tokens.stationA);
    await expectNotFound(`/v1/districts/${tenant.districtCodes[1]}/due`, tokens.stationA);
    // A district supervisor asking for a station or the district next door.
    await expectNotFound(`/v1/stations/${stationC}/due`, tokens.north);
    await expectNotFound(`/v1/districts/${tenant.districtCodes[1]}/due`, tokens.north);
    // Another unit's administrator, for every scope of this unit.
    const otherAdmin = await tokenFor.unit(other.unitCode);
    await expectNotFound(`/v1/units/${tenant.unitCode}/due`, otherAdmin);
    await expectNotFound(`/v1/districts/${tenant.districtCodes[0]}/due`, otherAdmin);
    await expectNotFound(`/v1/stations/${stationA}/due`, otherAdmin);
    // And codes that exist nowhere.
    await expectNotFound(`/v1/stations/${tenant.unitCode}-NOWHERE/due`, tokens.unit);

    await expectProblem(await api(`/v1/stations/${stationA}/due`), 401, 'unauthorized');
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/due`, { token: await tokenFor.platform() }), 403, 'forbidden');
  });

  it('lets station B\'s officer read B\'s list without a step of A\'s cases', async () => {
    const { tenant, cases, tokens } = await unitWithCases();
    const atB = (await duePage('stations', tenant.stationCodes[1], tokens.stationB, { limit: '200', window: 'all' })).data;
    expect(new Set(atB.map((item) => item.caseId))).toEqual(new Set([cases.atB]));
  });
});
