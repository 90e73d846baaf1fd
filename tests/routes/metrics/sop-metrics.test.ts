import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../../src/db/client.js';
import { getSopMetricsRoute } from '../../../src/routes/metrics/get-sop-metrics.js';
import { api, expectProblem } from '../../support/api.js';
import { ownerConfig } from '../../support/config.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { withRoundTrips } from '../platform-requests/round-trips.js';
import { tokenFor } from '../../support/tokens.js';

/*
 * A month of cases (January 2026) written as the owner with controlled timestamps in a unit of
 * the test's own, so every figure is known in advance:
 *
 * station NORTH-A, 10 cases (1–10 Jan, 10:00): an Instagram takedown sent 10, 20 … 100 minutes
 *   after the report (median 55), acknowledged 60, 120 … 600 minutes after sending (median 330);
 *   the even-numbered five also a WhatsApp preservation sent 30 minutes after that, never
 *   answered. Two steps each: one done on time; the other done late (cases 0–2), pending and
 *   overdue (3–4) or pending and not yet due (5–9).
 * station NORTH-B, 8 cases (10–17 Jan, 08:00): Facebook disclosure notices, sent on cases 0–3
 *   at 30, 90, 150, 210 minutes (median 120), drafts on 4–7; case 0 acknowledged after 120,
 *   case 1 actioned after 240 (median 180), case 2 refused, case 3 unanswered. One step each,
 *   done, late on cases 6–7.
 * station SOUTH-A, 7 cases (20–26 Jan, 12:00): no requests; one step each, pending and overdue.
 * station SOUTH-CYBER, 5 cases (27–31 Jan, 18:00): a payment hold to the banks sent after 5
 *   minutes; acknowledged after 30 (then actioned) on cases 0–2, actioned after 45 on case 3,
 *   unanswered on case 4. One step each, done on time.
 * Outside the window, and so in no figure: a case at 23:59:59 on 31 Dec and one at 00:00 on 1 Feb.
 */

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-02-01T00:00:00.000Z';
const MINUTE = 60_000;

interface SeedRequest {
  platformKey: string;
  kind: string;
  sentAfter: number | null;
  answers: { status: 'acknowledged' | 'actioned' | 'refused'; after: number }[];
}
interface SeedStep {
  status: 'done' | 'pending';
  dueAfter: number | null;
  closedAfter: number | null;
}
interface SeedCase {
  station: number;
  reportedAt: string;
  requests: SeedRequest[];
  steps: SeedStep[];
}

const at = (day: number, hour: number, month = '01', year = '2026') => `${year}-${month}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const onTime: SeedStep = { status: 'done', dueAfter: 60, closedAfter: 30 };
const late: SeedStep = { status: 'done', dueAfter: 60, closedAfter: 90 };
const overdue: SeedStep = { status: 'pending', dueAfter: 60, closedAfter: null };
const notYetDue: SeedStep = { status: 'pending', dueAfter: null, closedAfter: null };

function month(): SeedCase[] {
  const cases: SeedCase[] = [];
  for (let i = 0; i < 10; i += 1) {
    const first = (i + 1) * 10;
    const requests: SeedRequest[] = [{ platformKey: 'instagram', kind: 'takedown', sentAfter: first, answers: [{ status: 'acknowledged', after: (i + 1) * 60 }] }];
    if (i % 2 === 0) requests.push({ platformKey: 'whatsapp', kind: 'preservation', sentAfter: first + 30, answers: [] });
    cases.push({ station: 0, reportedAt: at(i + 1, 10), requests, steps: [onTime, i < 3 ? late : i < 5 ? overdue : notYetDue] });
  }
  const northB: SeedRequest['answers'][] = [[{ status: 'acknowledged', after: 120 }], [{ status: 'actioned', after: 240 }], [{ status: 'refused', after: 60 }], []];
  for (let i = 0; i < 8; i += 1) {
    const sent = i < 4 ? [30, 90, 150, 210][i]! : null;
    cases.push({
      station: 1,
      reportedAt: at(10 + i, 8),
      requests: [{ platformKey: 'facebook', kind: 'data_disclosure', sentAfter: sent, answers: northB[i] ?? [] }],
      steps: [i < 6 ? onTime : late],
    });
  }
  for (let i = 0; i < 7; i += 1) cases.push({ station: 2, reportedAt: at(20 + i, 12), requests: [], steps: [overdue] });
  const cyber: SeedRequest['answers'][] = [
    [{ status: 'acknowledged', after: 30 }, { status: 'actioned', after: 90 }],
    [{ status: 'acknowledged', after: 30 }, { status: 'actioned', after: 90 }],
    [{ status: 'acknowledged', after: 30 }, { status: 'actioned', after: 90 }],
    [{ status: 'actioned', after: 45 }],
    [],
  ];
  for (let i = 0; i < 5; i += 1) {
    cases.push({ station: 3, reportedAt: at(27 + i, 18), requests: [{ platformKey: 'banks', kind: 'payment_hold', sentAfter: 5, answers: cyber[i]! }], steps: [onTime] });
  }
  // Just outside the window: they would move every Instagram and Facebook figure.
  const quick: SeedRequest['answers'] = [{ status: 'acknowledged', after: 1 }];
  cases.push({ station: 0, reportedAt: '2025-12-31T23:59:59.000Z', requests: [{ platformKey: 'instagram', kind: 'takedown', sentAfter: 1, answers: quick }], steps: [late, overdue] });
  cases.push({ station: 1, reportedAt: TO, requests: [{ platformKey: 'facebook', kind: 'data_disclosure', sentAfter: 1, answers: quick }], steps: [late, overdue] });
  return cases;
}

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

/** Writes the month as the owner: cases, their requests (with transitions) and their steps. */
async function seed(tenant: TestTenant, cases: SeedCase[]) {
  const rows = cases.map((seeded) => ({ ...seeded, id: crypto.randomUUID(), stationCode: tenant.stationCodes[seeded.station] }));
  const requests = rows.flatMap((row) =>
    row.requests.map((request) => {
      const sentAt = request.sentAfter === null ? null : plus(row.reportedAt, request.sentAfter);
      const transitions = [
        { status: 'draft', at: row.reportedAt, by: 'seed' },
        ...(sentAt ? [{ status: 'approved', at: sentAt, by: 'seed' }, { status: 'sent', at: sentAt, by: 'seed' }] : []),
        ...request.answers.map((answer) => ({ status: answer.status, at: plus(sentAt!, answer.after), by: 'seed' })),
      ];
      return { caseId: row.id, platformKey: request.platformKey, kind: request.kind, status: transitions.at(-1)!.status, sentAt, transitions };
    }),
  );
  const steps = rows.flatMap((row) =>
    row.steps.map((step, index) => ({
      caseId: row.id,
      stepKey: `step-${index}`,
      status: step.status,
      dueAt: step.dueAfter === null ? '2100-01-01T00:00:00.000Z' : plus(row.reportedAt, step.dueAfter),
      closedAt: step.closedAfter === null ? null : plus(row.reportedAt, step.closedAfter),
    })),
  );
  const owner = openHttpDatabase(ownerConfig());
  await owner.execute(sql`
    insert into cases (id, unit_id, district_id, station_id, station_code, reported_station_id, reported_district_id, reported_station_code,
                       holder_station_ids, holder_district_ids, reported_by, complainant, victim, victim_is_minor, incident, reported_at)
    select x.id, s.unit_id, s.district_id, s.id, s.code, s.id, s.district_id, s.code, array[s.id], array[s.district_id], 'seed', '{}', '{}', false, '{}', x."reportedAt"
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, "stationCode" text, "reportedAt" timestamptz)
      join stations s on s.code = x."stationCode"`);
  await owner.execute(sql`
    insert into platform_requests (case_id, unit_id, station_id, platform_key, kind, status, letter, transitions, sent_at, created_by)
    select c.id, c.unit_id, c.station_id, x."platformKey", x.kind, x.status, 'seeded', x.transitions, x."sentAt", 'seed'
      from jsonb_to_recordset(${JSON.stringify(requests)}::jsonb) as x("caseId" uuid, "platformKey" text, kind text, status text, "sentAt" timestamptz, transitions jsonb)
      join cases c on c.id = x."caseId"`);
  await owner.execute(sql`
    insert into case_steps (case_id, unit_id, district_id, station_id, step_key, definition_key, definition, owner_role, kind, status, triggered_at, due_at, closed_at)
    select c.id, c.unit_id, c.district_id, c.station_id, x."stepKey", x."stepKey", '{}', 'investigating_officer', 'policy', x.status, c.reported_at, x."dueAt", x."closedAt"
      from jsonb_to_recordset(${JSON.stringify(steps)}::jsonb) as x("caseId" uuid, "stepKey" text, status text, "dueAt" timestamptz, "closedAt" timestamptz)
      join cases c on c.id = x."caseId"`);
}

const metricsPath = (unitCode: string, query = `?from=${FROM}&to=${TO}`) => `/v1/units/${unitCode}/metrics/sop${query}`;

async function metricsOf(unitCode: string, token: string, query?: string) {
  return parseResponse(getSopMetricsRoute, 200, await api(metricsPath(unitCode, query), { token }));
}

const steps = (done: number, doneOnTime: number, openOverdue: number) => ({ done, doneOnTime, onTimeShare: done === 0 ? null : doneOnTime / done, openOverdue });

describe('SOP metrics: GET /v1/units/{unitCode}/metrics/sop', () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTestTenant();
    await seed(tenant, month());
  });

  it('gives each station\'s figures over the month, and the unit\'s', async () => {
    const metrics = await metricsOf(tenant.unitCode, await tokenFor.auditor(tenant.unitCode));
    expect(metrics).toMatchObject({ unitCode: tenant.unitCode, from: FROM, to: TO });
    expect(metrics.total).toEqual({
      cases: 30,
      casesWithRequestSent: 19,
      medianMinutesToFirstRequestSent: 40,
      steps: steps(26, 21, 9),
      requestsAnswered: 16,
      medianTurnaroundMinutes: 210,
    });
    expect(metrics.stations).toEqual([
      { stationCode: tenant.stationCodes[0], cases: 10, casesWithRequestSent: 10, medianMinutesToFirstRequestSent: 55, steps: steps(13, 10, 2), requestsAnswered: 10, medianTurnaroundMinutes: 330 },
      { stationCode: tenant.stationCodes[1], cases: 8, casesWithRequestSent: 4, medianMinutesToFirstRequestSent: 120, steps: steps(8, 6, 0), requestsAnswered: 2, medianTurnaroundMinutes: 180 },
      { stationCode: tenant.stationCodes[2], cases: 7, casesWithRequestSent: 0, medianMinutesToFirstRequestSent: null, steps: steps(0, 0, 7), requestsAnswered: 0, medianTurnaroundMinutes: null },
      { stationCode: tenant.stationCodes[3], cases: 5, casesWithRequestSent: 5, medianMinutesToFirstRequestSent: 5, steps: steps(5, 5, 0), requestsAnswered: 4, medianTurnaroundMinutes: 30 },
    ]);
  });

  it('takes one database round trip for both breakdowns', async () => {
    const measured = await withRoundTrips(metricsPath(tenant.unitCode), await tokenFor.auditor(tenant.unitCode));
    expect(measured).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
  });

  it('gives each platform\'s figures over the cases with a request to it', async () => {
    const metrics = await metricsOf(tenant.unitCode, await tokenFor.unit(tenant.unitCode));
    expect(metrics.platforms).toEqual([
      { platformKey: 'banks', name: 'Banks (nodal officers)', cases: 5, requests: 5, requestsSent: 5, casesWithRequestSent: 5, medianMinutesToFirstRequestSent: 5, steps: steps(5, 5, 0), requestsAnswered: 4, medianTurnaroundMinutes: 30 },
      { platformKey: 'facebook', name: 'Facebook (Meta)', cases: 8, requests: 8, requestsSent: 4, casesWithRequestSent: 4, medianMinutesToFirstRequestSent: 120, steps: steps(8, 6, 0), requestsAnswered: 2, medianTurnaroundMinutes: 180 },
      { platformKey: 'instagram', name: 'Instagram (Meta)', cases: 10, requests: 10, requestsSent: 10, casesWithRequestSent: 10, medianMinutesToFirstRequestSent: 55, steps: steps(13, 10, 2), requestsAnswered: 10, medianTurnaroundMinutes: 330 },
      { platformKey: 'whatsapp', name: 'WhatsApp (Meta)', cases: 5, requests: 5, requestsSent: 5, casesWithRequestSent: 5, medianMinutesToFirstRequestSent: 80, steps: steps(7, 5, 1), requestsAnswered: 0, medianTurnaroundMinutes: null },
    ]);
  });

  it('takes the window as asked: a narrower one counts only its cases, and the default (the last 30 days) none of these', async () => {
    const admin = await tokenFor.unit(tenant.unitCode);
    const cyberWeek = await metricsOf(tenant.unitCode, admin, `?from=2026-01-27T00:00:00Z&to=${TO}`);
    expect(cyberWeek.stations.map((station) => station.stationCode)).toEqual([tenant.stationCodes[3]]);
    expect(cyberWeek.total).toMatchObject({ cases: 5, medianMinutesToFirstRequestSent: 5 });
    const recent = await metricsOf(tenant.unitCode, admin, '');
    expect(Date.parse(recent.to) - Date.parse(recent.from)).toBe(30 * 86_400_000);
    expect(recent).toMatchObject({
      total: { cases: 0, casesWithRequestSent: 0, medianMinutesToFirstRequestSent: null, steps: steps(0, 0, 0), requestsAnswered: 0, medianTurnaroundMinutes: null },
      stations: [],
      platforms: [],
    });
  });

  it('refuses a window that is empty, reversed or longer than a year, pointing at it', async () => {
    const admin = await tokenFor.unit(tenant.unitCode);
    const reversed = await expectProblem(await api(metricsPath(tenant.unitCode, `?from=${TO}&to=${FROM}`), { token: admin }), 400, 'validation_failed');
    expect(reversed.errors).toEqual([{ pointer: '/query/from', detail: 'from lies before to' }]);
    await expectProblem(await api(metricsPath(tenant.unitCode, `?from=${FROM}&to=${FROM}`), { token: admin }), 400, 'validation_failed');
    await expectProblem(await api(metricsPath(tenant.unitCode, '?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'), { token: admin }), 400, 'validation_failed');
    const malformed = await expectProblem(await api(metricsPath(tenant.unitCode, '?from=last-month'), { token: admin }), 400, 'validation_failed');
    expect(malformed.errors?.[0]?.pointer).toBe('/query/from');
  });

  it('is read at unit level only: 403 to stations and districts of the unit, 404 to another unit', async () => {
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.platform(),
      await tokenFor.client(tenant.unitCode, []),
    ]) {
      await expectProblem(await api(metricsPath(tenant.unitCode), { token }), 403, 'forbidden');
    }
    await expectProblem(await api(metricsPath(tenant.unitCode)), 401, 'unauthorized');
    const other = await createTestTenant();
    await expectProblem(await api(metricsPath(tenant.unitCode), { token: await tokenFor.auditor(other.unitCode) }), 404, 'not_found');
    // Their own unit's figures say nothing of this one's.
    expect((await metricsOf(other.unitCode, await tokenFor.auditor(other.unitCode))).total.cases).toBe(0);
  });
});
