import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { eventCatalogue } from '../../src/events/catalogue.js';
import { readEventFeedRoute } from '../../src/routes/events/read-event-feed.js';
import { transitionCaseRoute } from '../../src/routes/cases/transition-case.js';
import { announceDue, runScheduledWork } from '../../src/scheduled.js';
import { api, expectProblem } from '../support/api.js';
import { reportTestCase } from '../support/cases.js';
import { testNow } from '../support/clock.js';
import { untilEarlierTransactionsEnd } from '../support/event-feed.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { clientToken, signToken, tokenFor } from '../support/tokens.js';

type Feed = Awaited<ReturnType<typeof readFeed>>;

async function readFeed(token: string, query = '') {
  return parseResponse(readEventFeedRoute, 200, await api(`/v1/events${query ? `?${query}` : ''}`, { token }));
}

/** Every event after the cursor, a page of `limit` at a time, and the cursor to resume from. */
async function readAll(token: string, query = '', limit = 200): Promise<{ events: Feed['data']; cursor: string | undefined }> {
  await untilEarlierTransactionsEnd();
  const events: Feed['data'] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await readFeed(token, [`limit=${limit}`, query, cursor ? `after=${cursor}` : ''].filter(Boolean).join('&'));
    events.push(...page.data);
    cursor = page.nextCursor;
    if (!page.hasMore) return { events, cursor };
  }
}

const ofCase = (events: Feed['data'], caseId: string) => events.filter((event) => event.caseId === caseId);

async function stationCase(tenant: TestTenant) {
  const reported = await reportTestCase(tenant);
  const station = tenant.stationCodes[0];
  return {
    caseId: reported.id,
    sho: await signToken({ sub: 'pi.kulkarni', roles: ['station_house_officer'], unit: tenant.unitCode, station }),
    officer: await tokenFor.station(tenant.unitCode, station),
  };
}

describe('GET /v1/events, the pull feed', () => {
  it("carries a case's events in commit order to its station, district and unit, with ids and codes but no personal data", async () => {
    const tenant = await createTestTenant();
    const { caseId, sho } = await stationCase(tenant);
    await parseResponse(transitionCaseRoute, 200, await api(`/v1/cases/${caseId}/transitions`, { method: 'POST', token: sho, body: { to: 'triaged' } }));
    const assigned = await api(`/v1/cases/${caseId}/assignee`, { method: 'PUT', token: sho, headers: { 'If-Match': '"v2"' }, body: { subject: 'psi.patil', name: 'PSI A. Patil' } });
    expect(assigned.status).toBe(200);

    for (const token of [await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), await tokenFor.unit(tenant.unitCode)]) {
      const { events } = await readAll(token);
      const types = ofCase(events, caseId).map((event) => event.type);
      expect(types.slice(0, 2).sort()).toEqual(['case.reported', 'checklist.changed']);
      expect(types.slice(2)).toEqual(['case.status_changed', 'case.assigned']);
      const [reported] = ofCase(events, caseId);
      expect(reported).toMatchObject({ caseId, stationId: expect.any(String), districtId: expect.any(String) });
      expect(events.find((event) => event.type === 'case.status_changed')!.data).toEqual({ caseId, stationCode: tenant.stationCodes[0], from: 'reported', to: 'triaged' });
      expect(events.find((event) => event.type === 'case.assigned')!.data).toEqual({ caseId, stationCode: tenant.stationCodes[0], officerSubject: 'psi.patil' });
      const text = JSON.stringify(events);
      for (const personal of ['Sunita', 'Rohan', 'Deshmukh', '98123', 'Priya.Sharma', 'QuickCash', '433112345678']) expect(text).not.toContain(personal);
      for (const event of events) expect(eventCatalogue[event.type].data.safeParse(event.data).success, event.type).toBe(true);
    }
  });

  it('shows nothing of another station, another district or another unit', async () => {
    const tenant = await createTestTenant();
    const { caseId } = await stationCase(tenant);
    const elsewhere = [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
      await tokenFor.unit((await createTestTenant()).unitCode),
      await clientToken((await createTestTenant()).unitCode, ['cases:read']),
    ];
    for (const token of elsewhere) expect(ofCase((await readAll(token)).events, caseId)).toEqual([]);
  });

  it('resumes from its cursor: a page at a time gives the same events as one read, and nothing is read twice', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    await stationCase(tenant);
    await stationCase(tenant);
    const whole = await readAll(token);
    const paged = await readAll(token, '', 1);
    expect(paged.events.map((event) => event.id)).toEqual(whole.events.map((event) => event.id));
    expect(new Set(paged.events.map((event) => event.id)).size).toBe(paged.events.length);

    const after = await readFeed(token, `after=${whole.cursor}`);
    expect(after).toMatchObject({ data: [], hasMore: false, nextCursor: whole.cursor });
    const { caseId } = await stationCase(tenant);
    const next = await readAll(token, `after=${whole.cursor}`);
    expect(next.events.map((event) => event.caseId)).toEqual([caseId, caseId]);
  });

  it('reads only the types asked for, and refuses a type it does not publish or a cursor it did not issue', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const { caseId } = await stationCase(tenant);
    const { events } = await readAll(token, 'types=case.reported,step.escalated');
    expect(events.map((event) => [event.type, event.caseId])).toEqual([['case.reported', caseId]]);
    await expectProblem(await api('/v1/events?types=case.reported,case.deleted', { token }), 400, 'validation_failed');
    await expectProblem(await api('/v1/events?after=bm90LWEtY3Vyc29y', { token }), 400, 'invalid_cursor');
    await expectProblem(await api('/v1/events?wait=90s', { token }), 400, 'validation_failed');
    await expectProblem(await api('/v1/events?limit=0', { token }), 400, 'validation_failed');
  });

  it('long-polls: waits for the next event and answers as soon as it commits, or empty at the end of the wait', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    await stationCase(tenant);
    const { cursor } = await readAll(token);
    expect(await readFeed(token, `after=${cursor}&wait=2s`)).toMatchObject({ data: [], nextCursor: cursor });

    const waiting = readFeed(token, `after=${cursor}&wait=20s&types=case.reported`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { caseId } = await stationCase(tenant);
    const woken = await waiting;
    expect(woken.data.map((event) => [event.type, event.caseId])).toEqual([['case.reported', caseId]]);
  });

  it('needs cases:read: a client without it is refused', async () => {
    const tenant = await createTestTenant();
    await expectProblem(await api('/v1/events', { token: await clientToken(tenant.unitCode, ['tenancy:read']) }), 403, 'forbidden');
    await expectProblem(await api('/v1/events'), 401, 'unauthorized');
  });
});

describe('events the minute sweep raises', () => {
  /** Moves a case's steps so their deadlines fall around 1990-06-01T12:00Z, where no other test's steps are. */
  async function intoJune1990(caseId: string) {
    const owner = openHttpDatabase(ownerConfig());
    const back = sql`${testNow().getTime() - Date.parse('1990-06-01T12:00:00Z')} * interval '1 millisecond'`;
    await owner.execute(sql`update case_steps set triggered_at = triggered_at - ${back}, due_at = due_at - ${back}, next_escalation_at = null where case_id = ${caseId}`);
    const { rows } = await owner.execute<{ key: string; dueAt: string }>(sql`
      select step_key as key, due_at as "dueAt" from case_steps where case_id = ${caseId} and status = 'pending' order by due_at, step_key`);
    return rows;
  }

  it('announces each pending step once as due soon within the hour and once as overdue, to the feed of its station', async () => {
    const tenant = await createTestTenant();
    const { caseId, officer } = await stationCase(tenant);
    const steps = await intoJune1990(caseId);
    const first = steps[0]!;
    const sweepAt = (offsetMinutes: number) => runScheduledWork(appConfig(), new Date(Date.parse(first.dueAt) + offsetMinutes * 60_000), { announceDue });
    const announcements = async () =>
      ofCase((await readAll(officer, 'types=step.due_soon,step.overdue')).events, caseId)
        .filter((event) => event.data.stepKey === first.key)
        .map((event) => event.type);

    await sweepAt(-61);
    expect(await announcements()).toEqual([]);
    await sweepAt(-30);
    await sweepAt(-29);
    expect(await announcements()).toEqual(['step.due_soon']);
    await sweepAt(0);
    await sweepAt(5);
    expect(await announcements()).toEqual(['step.due_soon', 'step.overdue']);
    const overdue = ofCase((await readAll(officer, 'types=step.overdue')).events, caseId).find((event) => event.data.stepKey === first.key)!;
    expect(eventCatalogue['step.overdue'].data.parse(overdue.data)).toMatchObject({ caseId, stepKey: first.key, dueAt: expect.any(String) });
  });
});
