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
 * the test's own, so every figure is known in advance. Minutes are counted from each report;
 * "answered" is the first acknowledgement, action or refusal (what sets responded_at).
 *
 * station NORTH-A, 10 cases (1–10 Jan, 10:00), each naming Instagram and WhatsApp, cases 0–3
 *   Snapchat too:
 *   - an Instagram takedown sent 10, 20 … 100 minutes after the report (median 55, p90 91),
 *     acknowledged 60, 120 … 600 minutes after sending (median 330, p90 546); case 9's platform
 *     deadline missed. Its `platform-takedown.instagram` step done when sent, due at 60: on time
 *     on cases 0–5, late on 6–9;
 *   - on the even-numbered five a WhatsApp preservation sent 30 minutes after that (40 … 120:
 *     median 80, p90 112), never answered, the deadline missed on cases 0, 2, 4; its
 *     `platform-preservation.whatsapp` step done when sent (on time on 0 and 2, late on 4, 6, 8),
 *     pending and overdue on the five odd cases, which WhatsApp never heard of;
 *   - Snapchat never contacted: its step pending and overdue on cases 0–2, not yet due on 3;
 *   - two steps of the case each: one done on time; the other done late (cases 0–2), pending and
 *     overdue (3–4) or pending and not yet due (5–9);
 *   - evidence captured 15, 30, 45, 60 minutes after the report on cases 0–3 (a later item each
 *     as well), and 2 hours before it on case 4 (0 minutes);
 *   - FIRs: case 0 issued after a day (a second one later), case 1 recorded after 2000 minutes
 *     with no issue time.
 * station NORTH-B, 8 cases (10–17 Jan, 08:00), each naming Facebook: disclosure notices, sent on
 *   cases 0–3 at 30, 90, 150, 210 minutes (median 120, p90 192), drafts on 4–7; case 0
 *   acknowledged after 120, case 1 actioned after 240 (its deadline missed first), case 2
 *   refused after 60 (median 120, p90 216), case 3 unanswered and its deadline missed. A
 *   `data-disclosure.facebook` step, due at 120, done when sent (on time on 0–1, late on 2–3),
 *   pending and overdue on 4–7. One step of the case each, done, late on cases 6–7. Case 0's
 *   1930 ticket was issued 30 minutes before the report (0 minutes); case 5's FIR recorded after 720.
 * station SOUTH-A, 7 cases (20–26 Jan, 12:00): no requests; cases 0–2 name Telegram, never
 *   contacted and with no step of its own. One step each, pending and overdue. Evidence on case 0
 *   after a day; a portal acknowledgement (not an FIR) on case 0.
 * station SOUTH-CYBER, 5 cases (27–31 Jan, 18:00): a payment hold to the banks (named by no case)
 *   sent after 5 minutes; acknowledged after 30 (then actioned) on cases 0–2, actioned after 45
 *   on case 3, unanswered and its deadline missed on case 4. Cases 0–1 name Instagram, never
 *   contacted: its step pending and overdue. One step each, done on time, and a `report-1930`
 *   step due at 60: done at 40, 30, 45 on cases 0–2, pending (overdue) on 3, skipped at 15 on 4.
 *   Helpline tickets: issued at 20 on case 0, recorded at 50 with no issue time on case 1, issued
 *   at 25 on case 3; so the 1930 report came at 20, 30, 45, 25 (median 27.5, p90 40.5). Evidence
 *   after 10 on every case; FIRs issued after 60, 120, 180 on cases 0–2.
 * Outside the window, and so in no figure: a case at 23:59:59 on 31 Dec and one at 00:00 on 1
 *   Feb, with every kind of fact a figure counts.
 */

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-02-01T00:00:00.000Z';
const MINUTE = 60_000;

interface SeedRequest {
  platformKey: string;
  kind: string;
  sentAfter: number | null;
  answers: { status: 'acknowledged' | 'actioned' | 'refused'; after: number }[];
  deadlineMissed?: boolean;
}
interface SeedStep {
  status: 'done' | 'pending' | 'skipped';
  dueAfter: number | null;
  closedAfter: number | null;
  /** A step taken once per platform: `<definitionKey>.<platformKey>`. */
  definitionKey?: string;
  platformKey?: string;
}
interface SeedReference {
  kind: 'helpline_ticket' | 'fir' | 'ncrp_acknowledgement';
  issuedAfter: number | null;
  recordedAfter: number;
}
interface SeedCase {
  station: number;
  reportedAt: string;
  platforms?: string[];
  requests: SeedRequest[];
  steps: SeedStep[];
  evidenceAfter?: number[];
  references?: SeedReference[];
}

const at = (day: number, hour: number, month = '01', year = '2026') => `${year}-${month}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const onTime: SeedStep = { status: 'done', dueAfter: 60, closedAfter: 30 };
const late: SeedStep = { status: 'done', dueAfter: 60, closedAfter: 90 };
const overdue: SeedStep = { status: 'pending', dueAfter: 60, closedAfter: null };
const notYetDue: SeedStep = { status: 'pending', dueAfter: null, closedAfter: null };
const forPlatform = (definitionKey: string, platformKey: string, step: SeedStep): SeedStep => ({ ...step, definitionKey, platformKey });
const doneAt = (closedAfter: number, dueAfter = 60): SeedStep => ({ status: 'done', dueAfter, closedAfter });
const fir = (issuedAfter: number | null, recordedAfter: number): SeedReference => ({ kind: 'fir', issuedAfter, recordedAfter });
const ticket = (issuedAfter: number | null, recordedAfter: number): SeedReference => ({ kind: 'helpline_ticket', issuedAfter, recordedAfter });

function month(): SeedCase[] {
  const cases: SeedCase[] = [];
  const northAEvidence: number[][] = [[15, 500], [30, 500], [45, 500], [60, 500], [-120]];
  const northAReferences: SeedReference[][] = [[fir(1440, 1500), fir(2880, 2900)], [fir(null, 2000)]];
  for (let i = 0; i < 10; i += 1) {
    const first = (i + 1) * 10;
    const requests: SeedRequest[] = [{ platformKey: 'instagram', kind: 'takedown', sentAfter: first, answers: [{ status: 'acknowledged', after: (i + 1) * 60 }], deadlineMissed: i === 9 }];
    const platformSteps = [forPlatform('platform-takedown', 'instagram', doneAt(first))];
    if (i % 2 === 0) {
      requests.push({ platformKey: 'whatsapp', kind: 'preservation', sentAfter: first + 30, answers: [], deadlineMissed: i <= 4 });
      platformSteps.push(forPlatform('platform-preservation', 'whatsapp', doneAt(first + 30)));
    } else {
      platformSteps.push(forPlatform('platform-preservation', 'whatsapp', overdue));
    }
    if (i < 4) platformSteps.push(forPlatform('platform-takedown', 'snapchat', i < 3 ? overdue : notYetDue));
    cases.push({
      station: 0,
      reportedAt: at(i + 1, 10),
      platforms: i < 4 ? ['instagram', 'whatsapp', 'snapchat'] : ['instagram', 'whatsapp'],
      requests,
      steps: [onTime, i < 3 ? late : i < 5 ? overdue : notYetDue, ...platformSteps],
      evidenceAfter: northAEvidence[i] ?? [],
      references: northAReferences[i] ?? [],
    });
  }
  const northB: SeedRequest['answers'][] = [[{ status: 'acknowledged', after: 120 }], [{ status: 'actioned', after: 240 }], [{ status: 'refused', after: 60 }], []];
  for (let i = 0; i < 8; i += 1) {
    const sent = i < 4 ? [30, 90, 150, 210][i]! : null;
    const references = i === 0 ? [ticket(-30, 10)] : i === 5 ? [fir(null, 720)] : [];
    cases.push({
      station: 1,
      reportedAt: at(10 + i, 8),
      platforms: ['facebook'],
      requests: [{ platformKey: 'facebook', kind: 'data_disclosure', sentAfter: sent, answers: northB[i] ?? [], deadlineMissed: i === 1 || i === 3 }],
      steps: [i < 6 ? onTime : late, forPlatform('data-disclosure', 'facebook', sent === null ? { ...overdue, dueAfter: 120 } : doneAt(sent, 120))],
      references,
    });
  }
  for (let i = 0; i < 7; i += 1) {
    cases.push({
      station: 2,
      reportedAt: at(20 + i, 12),
      platforms: i < 3 ? ['telegram'] : [],
      requests: [],
      steps: [overdue],
      evidenceAfter: i === 0 ? [1440] : [],
      references: i === 0 ? [{ kind: 'ncrp_acknowledgement', issuedAfter: 5, recordedAfter: 5 }] : [],
    });
  }
  const cyber: SeedRequest['answers'][] = [
    [{ status: 'acknowledged', after: 30 }, { status: 'actioned', after: 90 }],
    [{ status: 'acknowledged', after: 30 }, { status: 'actioned', after: 90 }],
    [{ status: 'acknowledged', after: 30 }, { status: 'actioned', after: 90 }],
    [{ status: 'actioned', after: 45 }],
    [],
  ];
  const report1930: SeedStep[] = [doneAt(40), doneAt(30), doneAt(45), overdue, { status: 'skipped', dueAfter: 60, closedAfter: 15 }];
  const cyberReferences: SeedReference[][] = [[ticket(20, 25), fir(60, 70)], [ticket(null, 50), fir(120, 130)], [fir(180, 190)], [ticket(25, 35)], []];
  for (let i = 0; i < 5; i += 1) {
    cases.push({
      station: 3,
      reportedAt: at(27 + i, 18),
      platforms: i < 2 ? ['instagram'] : [],
      requests: [{ platformKey: 'banks', kind: 'payment_hold', sentAfter: 5, answers: cyber[i]!, deadlineMissed: i === 4 }],
      steps: [onTime, { ...report1930[i]!, definitionKey: 'report-1930' }, ...(i < 2 ? [forPlatform('platform-takedown', 'instagram', overdue)] : [])],
      evidenceAfter: [10],
      references: cyberReferences[i]!,
    });
  }
  // Just outside the window: they would move every figure they touch.
  const quick: SeedRequest['answers'] = [{ status: 'acknowledged', after: 1 }];
  const outside = (station: number, reportedAt: string, platformKey: string, kind: string): SeedCase => ({
    station,
    reportedAt,
    platforms: [platformKey, 'snapchat', 'telegram'],
    requests: [{ platformKey, kind, sentAfter: 1, answers: quick, deadlineMissed: true }],
    steps: [late, overdue, forPlatform('platform-takedown', platformKey, late), forPlatform('platform-takedown', 'snapchat', overdue), { ...doneAt(1), definitionKey: 'report-1930' }],
    evidenceAfter: [1],
    references: [ticket(1, 1), fir(1, 1)],
  });
  cases.push(outside(0, '2025-12-31T23:59:59.000Z', 'instagram', 'takedown'));
  cases.push(outside(1, TO, 'facebook', 'data_disclosure'));
  return cases;
}

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE).toISOString();

/** Writes the month as the owner: cases, their requests (with transitions), steps, evidence and references. */
async function seed(tenant: TestTenant, cases: SeedCase[]) {
  const rows = cases.map((seeded) => ({ ...seeded, id: crypto.randomUUID(), stationCode: tenant.stationCodes[seeded.station], platforms: seeded.platforms ?? [] }));
  const requests = rows.flatMap((row) =>
    row.requests.map((request) => {
      const sentAt = request.sentAfter === null ? null : plus(row.reportedAt, request.sentAfter);
      const transitions = [
        { status: 'draft', at: row.reportedAt, by: 'seed' },
        ...(sentAt ? [{ status: 'approved', at: sentAt, by: 'seed' }, { status: 'sent', at: sentAt, by: 'seed' }] : []),
        ...request.answers.map((answer) => ({ status: answer.status, at: plus(sentAt!, answer.after), by: 'seed' })),
      ];
      const respondedAt = request.answers[0] ? plus(sentAt!, request.answers[0].after) : null;
      const respondBy = sentAt ? plus(sentAt, 180) : null;
      const deadlineMissedAt = request.deadlineMissed ? plus(respondBy!, 1) : null;
      return { caseId: row.id, platformKey: request.platformKey, kind: request.kind, status: transitions.at(-1)!.status, sentAt, respondedAt, respondBy, deadlineMissedAt, transitions };
    }),
  );
  const steps = rows.flatMap((row) =>
    row.steps.map((step, index) => {
      const definitionKey = step.definitionKey ?? `step-${index}`;
      return {
        caseId: row.id,
        stepKey: step.platformKey ? `${definitionKey}.${step.platformKey}` : definitionKey,
        definitionKey,
        platformKey: step.platformKey ?? null,
        status: step.status,
        dueAt: step.dueAfter === null ? '2100-01-01T00:00:00.000Z' : plus(row.reportedAt, step.dueAfter),
        closedAt: step.closedAfter === null ? null : plus(row.reportedAt, step.closedAfter),
      };
    }),
  );
  const evidence = rows.flatMap((row) => (row.evidenceAfter ?? []).map((after) => ({ caseId: row.id, capturedAt: plus(row.reportedAt, after) })));
  const references = rows.flatMap((row) =>
    (row.references ?? []).map((reference, index) => ({
      caseId: row.id,
      kind: reference.kind,
      value: `${reference.kind}-${index}`,
      issuedAt: reference.issuedAfter === null ? null : plus(row.reportedAt, reference.issuedAfter),
      recordedAt: plus(row.reportedAt, reference.recordedAfter),
    })),
  );
  const owner = openHttpDatabase(ownerConfig());
  await owner.execute(sql`
    insert into cases (id, unit_id, district_id, station_id, station_code, reported_station_id, reported_district_id, reported_station_code,
                       holder_station_ids, holder_district_ids, reported_by, complainant, victim, victim_is_minor, incident, platforms, reported_at)
    select x.id, s.unit_id, s.district_id, s.id, s.code, s.id, s.district_id, s.code, array[s.id], array[s.district_id], 'seed', '{}', '{}', false, '{}',
           array(select jsonb_array_elements_text(x.platforms)), x."reportedAt"
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, "stationCode" text, platforms jsonb, "reportedAt" timestamptz)
      join stations s on s.code = x."stationCode"`);
  await owner.execute(sql`
    insert into platform_requests (case_id, unit_id, station_id, platform_key, kind, status, letter, transitions, sent_at, responded_at, respond_by, deadline_missed_at, created_by)
    select c.id, c.unit_id, c.station_id, x."platformKey", x.kind, x.status, 'seeded', x.transitions, x."sentAt", x."respondedAt", x."respondBy", x."deadlineMissedAt", 'seed'
      from jsonb_to_recordset(${JSON.stringify(requests)}::jsonb)
           as x("caseId" uuid, "platformKey" text, kind text, status text, "sentAt" timestamptz, "respondedAt" timestamptz, "respondBy" timestamptz,
                "deadlineMissedAt" timestamptz, transitions jsonb)
      join cases c on c.id = x."caseId"`);
  await owner.execute(sql`
    insert into case_steps (case_id, unit_id, district_id, station_id, step_key, definition_key, platform_key, definition, owner_role, kind, status, triggered_at, due_at, closed_at)
    select c.id, c.unit_id, c.district_id, c.station_id, x."stepKey", x."definitionKey", x."platformKey", '{}', 'investigating_officer', 'policy', x.status,
           c.reported_at, x."dueAt", x."closedAt"
      from jsonb_to_recordset(${JSON.stringify(steps)}::jsonb)
           as x("caseId" uuid, "stepKey" text, "definitionKey" text, "platformKey" text, status text, "dueAt" timestamptz, "closedAt" timestamptz)
      join cases c on c.id = x."caseId"`);
  await owner.execute(sql`
    insert into evidence_items (case_id, unit_id, created_by, kind, description, sha256, hash_origin, captured_at, captured_by, custodian)
    select c.id, c.unit_id, 'seed', 'screenshot', 'seeded', repeat('ab', 32), 'computed', x."capturedAt", '{"name": "seed"}', '{"name": "seed"}'
      from jsonb_to_recordset(${JSON.stringify(evidence)}::jsonb) as x("caseId" uuid, "capturedAt" timestamptz)
      join cases c on c.id = x."caseId"`);
  await owner.execute(sql`
    insert into case_references (case_id, unit_id, created_by, created_at, kind, value, sections, issued_at)
    select c.id, c.unit_id, 'seed', x."recordedAt", x.kind, x.value, case when x.kind = 'fir' then array['IT Act 66E'] else '{}' end, x."issuedAt"
      from jsonb_to_recordset(${JSON.stringify(references)}::jsonb) as x("caseId" uuid, kind text, value text, "issuedAt" timestamptz, "recordedAt" timestamptz)
      join cases c on c.id = x."caseId"`);
}

const metricsPath = (unitCode: string, query = `?from=${FROM}&to=${TO}`) => `/v1/units/${unitCode}/metrics/sop${query}`;

async function metricsOf(unitCode: string, token: string, query?: string) {
  return parseResponse(getSopMetricsRoute, 200, await api(metricsPath(unitCode, query), { token }));
}

const steps = (done: number, doneOnTime: number, openOverdue: number) => ({ done, doneOnTime, onTimeShare: done === 0 ? null : doneOnTime / done, openOverdue });
const reached = (cases: number, medianMinutes: number | null = null, p90Minutes: number | null = null) => ({ cases, medianMinutes, p90Minutes });
const firstRequest = (cases: number, casesWithRequestSent: number, median: number | null, p90: number | null) => ({
  cases,
  casesWithRequestSent,
  medianMinutesToFirstRequestSent: median,
  p90MinutesToFirstRequestSent: p90,
});
const turnaround = (requestsAnswered: number, median: number | null, p90: number | null) => ({ requestsAnswered, medianTurnaroundMinutes: median, p90TurnaroundMinutes: p90 });

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
      ...firstRequest(30, 19, 40, 110),
      steps: steps(48, 34, 24),
      ...turnaround(17, 180, 504),
      firstEvidence: reached(11, 10, 60),
      report1930: reached(5, 25, 39),
      fir: reached(6, 450, 1720),
      firShare: 0.2,
    });
    expect(metrics.stations).toEqual([
      {
        stationCode: tenant.stationCodes[0],
        ...firstRequest(10, 10, 55, 91),
        steps: steps(28, 18, 10),
        ...turnaround(10, 330, 546),
        firstEvidence: reached(5, 30, 54),
        report1930: reached(0),
        fir: reached(2, 1720, 1944),
        firShare: 0.2,
      },
      {
        stationCode: tenant.stationCodes[1],
        ...firstRequest(8, 4, 120, 192),
        steps: steps(12, 8, 4),
        ...turnaround(3, 120, 216),
        firstEvidence: reached(0),
        report1930: reached(1, 0, 0),
        fir: reached(1, 720, 720),
        firShare: 0.125,
      },
      {
        stationCode: tenant.stationCodes[2],
        ...firstRequest(7, 0, null, null),
        steps: steps(0, 0, 7),
        ...turnaround(0, null, null),
        firstEvidence: reached(1, 1440, 1440),
        report1930: reached(0),
        fir: reached(0),
        firShare: 0,
      },
      {
        stationCode: tenant.stationCodes[3],
        ...firstRequest(5, 5, 5, 5),
        steps: steps(8, 8, 3),
        ...turnaround(4, 30, 40.5),
        firstEvidence: reached(5, 10, 10),
        report1930: reached(4, 27.5, 40.5),
        fir: reached(3, 120, 168),
        firShare: 0.6,
      },
    ]);
  });

  it('takes one database round trip for both breakdowns', async () => {
    const measured = await withRoundTrips(metricsPath(tenant.unitCode), await tokenFor.auditor(tenant.unitCode));
    expect(measured).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
  });

  it('gives each platform\'s figures over every case it was involved in, with only the steps taken for it', async () => {
    const metrics = await metricsOf(tenant.unitCode, await tokenFor.unit(tenant.unitCode));
    const platform = (platformKey: string, name: string, request: ReturnType<typeof firstRequest>, casesNeverContacted: number, requests: number, requestsSent: number) => ({
      platformKey,
      name,
      ...request,
      casesNeverContacted,
      requests,
      requestsSent,
    });
    expect(metrics.platforms).toEqual([
      { ...platform('banks', 'Banks (nodal officers)', firstRequest(5, 5, 5, 5), 0, 5, 5), steps: steps(0, 0, 0), ...turnaround(4, 30, 40.5), deadlinesMissed: 1 },
      { ...platform('facebook', 'Facebook (Meta)', firstRequest(8, 4, 120, 192), 4, 8, 4), steps: steps(4, 2, 4), ...turnaround(3, 120, 216), deadlinesMissed: 2 },
      { ...platform('instagram', 'Instagram (Meta)', firstRequest(12, 10, 55, 91), 2, 10, 10), steps: steps(10, 6, 2), ...turnaround(10, 330, 546), deadlinesMissed: 1 },
      { ...platform('snapchat', 'Snapchat', firstRequest(4, 0, null, null), 4, 0, 0), steps: steps(0, 0, 3), ...turnaround(0, null, null), deadlinesMissed: 0 },
      { ...platform('telegram', 'Telegram', firstRequest(3, 0, null, null), 3, 0, 0), steps: steps(0, 0, 0), ...turnaround(0, null, null), deadlinesMissed: 0 },
      { ...platform('whatsapp', 'WhatsApp (Meta)', firstRequest(10, 5, 80, 112), 5, 5, 5), steps: steps(5, 2, 5), ...turnaround(0, null, null), deadlinesMissed: 3 },
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
      total: {
        ...firstRequest(0, 0, null, null),
        steps: steps(0, 0, 0),
        ...turnaround(0, null, null),
        firstEvidence: reached(0),
        report1930: reached(0),
        fir: reached(0),
        firShare: null,
      },
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

  it('gives a district supervisor their own district, and unit callers any district they name: only the cases that district holds', async () => {
    const unit = await metricsOf(tenant.unitCode, await tokenFor.auditor(tenant.unitCode));
    const northStations = unit.stations.filter((row) => row.stationCode.startsWith(`${tenant.districtCodes[0]}-`));
    const own = await metricsOf(tenant.unitCode, await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]));
    expect(own).toMatchObject({ unitCode: tenant.unitCode, districtCode: tenant.districtCodes[0], from: FROM, to: TO });
    expect(own.stations).toEqual(northStations);
    expect(own.total.cases).toBe(18);
    expect(own.total.casesWithRequestSent).toBe(14);
    const named = await metricsOf(tenant.unitCode, await tokenFor.auditor(tenant.unitCode), `?from=${FROM}&to=${TO}&district=${tenant.districtCodes[0]}`);
    expect(named).toEqual(own);
    expect(unit.districtCode).toBeNull();
    const south = await metricsOf(tenant.unitCode, await tokenFor.auditor(tenant.unitCode), `?from=${FROM}&to=${TO}&district=${tenant.districtCodes[1]}`);
    expect(south.stations.map((row) => row.stationCode)).toEqual([tenant.stationCodes[2], tenant.stationCodes[3]]);
    expect(south.total.cases).toBe(12);
  });

  it('answers 404 for another district or one the unit does not have', async () => {
    const northSupervisor = await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]);
    await expectProblem(await api(metricsPath(tenant.unitCode, `?district=${tenant.districtCodes[1]}`), { token: northSupervisor }), 404, 'not_found');
    await expectProblem(await api(metricsPath(tenant.unitCode, `?district=${tenant.unitCode}-EAST`), { token: await tokenFor.auditor(tenant.unitCode) }), 404, 'not_found');
  });

  it('is read for a unit or a district: 403 to stations of the unit and callers without cases:read, 404 to another unit', async () => {
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
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
