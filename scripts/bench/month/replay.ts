import pg from 'pg';
import { createApp } from '../../../src/app.js';
import { parseConfig } from '../../../src/env.js';
import { clockOverrideHeader } from '../../../src/http/request-clock.js';
import { memoryRateLimiter } from '../../../src/rate-limits/limiter.js';
import { runScheduledWork } from '../../../src/scheduled.js';
import { nodePostgresPool, nodePostgresTransport } from '../../../src/db/node-postgres-transport.js';
import { useTransport } from '../../../src/db/tenant-runner.js';
import { demoUnits } from '../../local-db/demo-tenants.js';
import { startBenchEnvironment } from '../setup.js';
import { definitionKeyOf, platformKeyOf, type CaseRecord, type RequestRecord, type StepAct, type StepState } from './model.js';
import { prng, type Prng } from './prng.js';
import { caseFacts, intakeBody, SCENARIO, type Behaviour } from './scenario.js';
import { BODY_FOR_REQUEST_KIND, checkChecklist, compareMetrics, metricsTruth, PLATFORM_REQUEST_KINDS, REFERENCE_FOR_STEP, type ChecklistMismatch } from './sop-expectations.js';

export interface ReplayOptions {
  days: number;
  reportsPerDay: number;
  seed: number;
  /** The simulated month's first instant; far from any real today. */
  start: Date;
  /** A Postgres server (owner's connection string); without it, the embedded database. */
  databaseUrl?: string;
  /** neon (default): the serverless driver through the local endpoint, as on Workers; pg: node-postgres straight to a server, as the Node entry does. */
  driver?: 'neon' | 'pg';
  log?: (line: string) => void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SUPERVISED_KINDS = new Set(['takedown', 'data_disclosure', 'emergency_disclosure', 'payment_hold', 'sim_imei_block']);
const ceilMinute = (at: number) => Math.ceil(at / MINUTE) * MINUTE;

type Planned =
  | { at: number; type: 'report'; index: number }
  | { at: number; type: 'act'; record: CaseRecord; key: string }
  | { at: number; type: 'answer'; record: CaseRecord; request: RequestRecord; to: 'acknowledged' | 'actioned' | 'refused' };
type Event = Planned & { seq: number };

/** A binary heap of events by simulated time (ties in order of scheduling). */
class Agenda {
  private items: Event[] = [];
  private seq = 0;
  push(event: Planned) {
    const item: Event = { ...event, seq: this.seq++ };
    const items = this.items;
    items.push(item);
    for (let index = items.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!Agenda.before(items[index]!, items[parent]!)) break;
      [items[index], items[parent]] = [items[parent]!, items[index]!];
      index = parent;
    }
  }
  peek(): Event | undefined {
    return this.items[0];
  }
  pop(): Event | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let index = 0; ; ) {
        const left = 2 * index + 1;
        const right = left + 1;
        let least = index;
        if (left < items.length && Agenda.before(items[left]!, items[least]!)) least = left;
        if (right < items.length && Agenda.before(items[right]!, items[least]!)) least = right;
        if (least === index) break;
        [items[index], items[least]] = [items[least]!, items[index]!];
        index = least;
      }
    }
    return top;
  }
  private static before(a: Event, b: Event) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

interface ApiStep {
  key: string;
  definitionKey?: string;
  platformKey?: string | null;
  status: string;
  ownerRole: string;
  triggeredAt: string;
  dueAt: string;
  escalationLevel: number;
  nextEscalationAt: string | null;
  requestKind: string | null;
  closedAt: string | null;
}

export async function replayMonth(options: ReplayOptions) {
  const log = options.log ?? (() => {});
  const startedReal = Date.now();
  const start = options.start.getTime();
  const end = start + options.days * DAY;
  const rng = prng(options.seed);
  const env = await startBenchEnvironment({ serverUrl: options.databaseUrl });
  const embedded = env.database.kind === 'embedded';
  const direct = options.driver === 'pg' && !embedded;
  const bindings = { ...env.bindings('month'), CLOCK_OVERRIDE: 'allow', ...(direct ? { DATABASE_DRIVER: 'pg', DATABASE_URL: env.database.appUrl } : {}) };
  const pool = direct ? nodePostgresPool(env.database.appUrl, {}) : undefined;
  if (pool) useTransport(nodePostgresTransport(pool));
  const parsed = parseConfig(bindings);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const config = parsed.config;
  const rateLimiter = memoryRateLimiter();
  const app = createApp({ rateLimiter: () => rateLimiter });
  const owner = new pg.Client({ connectionString: env.database.ownerUrl });
  await owner.connect();
  // DISCARD ALL and RESET do not restore the session user in PGlite: name it.
  const ownerReset = `SET SESSION AUTHORIZATION ${pg.escapeIdentifier(decodeURIComponent(new URL(env.database.ownerUrl).username) || 'postgres')}`;
  // PGlite's one backend may still carry the API's login from its last session: the replay reads as the owner.
  let ownerMs = 0;
  const ownerQuery = async <Row extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    const began = performance.now();
    if (embedded) await owner.query(ownerReset);
    const rows = (await owner.query<Row>(text, values)).rows;
    ownerMs += performance.now() - began;
    return rows;
  };

  try {
    // ------------------------------------------------------------ a unit of its own: Pune City's 33 stations
    const unitCode = `MONTH${options.seed}X${crypto.randomUUID().slice(0, 6).toUpperCase()}`.replace(/[^A-Z0-9]/g, '');
    const districtCode = `${unitCode}-PUNE`;
    const pune = demoUnits.find((unit) => unit.code === 'MH')!.districts.find((district) => district.code === 'MH-PUNE')!;
    const stations = pune.stations.map((station) => ({ ...station, code: station.code.replace(/^MH-PUNE/, districtCode) }));
    const [unitRow] = await ownerQuery<{ id: string }>(`INSERT INTO units (code, name) VALUES ($1, $2) RETURNING id`, [unitCode, `Replay of a month (seed ${options.seed})`]);
    const unitId = unitRow!.id;
    await ownerQuery(`INSERT INTO districts (unit_id, code, name, kind) VALUES ($1, $2, $3, 'commissionerate')`, [unitId, districtCode, pune.name]);
    await ownerQuery(
      `INSERT INTO stations (unit_id, district_id, code, name, is_cyber_crime_station)
       SELECT d.unit_id, d.id, s.code, s.name, s.cyber FROM districts d, unnest($2::text[], $3::text[], $4::boolean[]) AS s(code, name, cyber) WHERE d.code = $1`,
      [districtCode, stations.map((s) => s.code), stations.map((s) => s.name), stations.map((s) => s.isCyberCrimeStation ?? false)],
    );
    log(`unit ${unitCode}: ${stations.length} stations; ${options.days} days from ${options.start.toISOString()}, ${options.reportsPerDay} reports a day, seed ${options.seed}; ${embedded ? 'embedded database' : 'PostgreSQL server'}`);

    // ------------------------------------------------------------ tokens (real-clock lifetimes: minted again every hour)
    const tokens = new Map<string, { token: string; at: number }>();
    const token = async (role: string, station?: string) => {
      const name = `${role}:${station ?? ''}`;
      const cached = tokens.get(name);
      if (cached && Date.now() - cached.at < HOUR) return cached.token;
      const minted = await env.token({ roles: [role], unit: unitCode, ...(station ? { station } : role === 'district_supervisor' ? { district: districtCode } : {}), sub: `replay-${name}` });
      tokens.set(name, { token: minted, at: Date.now() });
      return minted;
    };

    // ------------------------------------------------------------ the API, in process, at simulated time
    const calls = { total: 0, failed: 0, byOperation: new Map<string, { calls: number; failed: number; ms: number; example?: string }>() };
    const spent = { apiMs: 0, sweepMs: 0, ownerMs: 0 };
    const api = async (operation: string, method: string, path: string, bearer: string, at: number, body?: unknown) => {
      const began = performance.now();
      const response = await app.fetch(
        new Request(`http://replay${path}`, {
          method,
          headers: { Authorization: `Bearer ${bearer}`, [clockOverrideHeader]: new Date(at).toISOString(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        bindings,
      );
      const text = await response.text();
      const tally = calls.byOperation.get(operation) ?? { calls: 0, failed: 0, ms: 0 };
      tally.calls += 1;
      tally.ms += performance.now() - began;
      spent.apiMs += performance.now() - began;
      calls.total += 1;
      if (response.status >= 400) {
        tally.failed += 1;
        calls.failed += 1;
        tally.example ??= `${method} ${path.replace(/[0-9a-f-]{36}/g, '{id}')} → ${response.status} ${text.slice(0, 300)}`;
      }
      calls.byOperation.set(operation, tally);
      return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
    };

    const directory = await api('list platforms', 'GET', `/v1/units/${unitCode}/platforms?limit=200`, await token('unit_supervisor'), start);
    const turnaround = new Map(((directory.body?.data ?? []) as Array<{ key: string; turnaroundHours: number | null }>).map((row) => [row.key, row.turnaroundHours]));
    const turnaroundHours = (platform: string) => turnaround.get(platform) ?? null;

    // ------------------------------------------------------------ the replay's own record of every case
    const records: CaseRecord[] = [];
    const agenda = new Agenda();
    const caseRng = new Map<CaseRecord, Prng>();
    const behaviours = new Map<string, number>();
    const findings = {
      safetyScreen: 'not tried' as 'not tried' | 'served' | 'absent (404)' | 'failing',
      /** Real actions that left their step pending (the replay then ticked it by hand), per definition key. */
      actsNotCompleting: new Map<string, { count: number; example: string }>(),
      /** Steps the replay closed whose closedAt the API gives differently (one clock for every SOP computation). */
      clockDisagreements: [] as string[],
      intakeFailures: 0,
    };

    for (let day = 0; day < options.days; day += 1) {
      for (let index = 0; index < options.reportsPerDay; index += 1) {
        // Reports through the day and into the night, more in the evening.
        const hour = rng.weighted([[0, 2], [6, 3], [10, 6], [14, 6], [18, 8], [22, 3]] as const);
        const width = hour === 22 ? 8 : hour === 0 ? 6 : 4;
        const at = start + day * DAY + Math.floor(rng.between(hour, hour + width) * HOUR) % DAY;
        agenda.push({ at, type: 'report', index: day * options.reportsPerDay + index });
      }
    }

    const toStep = (step: ApiStep, previous: StepState | undefined, act: StepAct | undefined): StepState => {
      const apiClosedAt = step.closedAt === null ? null : new Date(step.closedAt);
      return {
        key: step.key,
        definitionKey: definitionKeyOf(step),
        platformKey: platformKeyOf(step),
        status: step.status,
        ownerRole: step.ownerRole,
        triggeredAt: new Date(step.triggeredAt),
        dueAt: new Date(step.dueAt),
        closedAt: step.status === 'pending' ? null : act && step.status !== 'retired' ? act.at : (previous?.closedAt ?? apiClosedAt),
        apiClosedAt,
        escalationLevel: step.escalationLevel,
        nextEscalationAt: step.nextEscalationAt === null ? null : new Date(step.nextEscalationAt),
        requestKind: step.requestKind,
      };
    };

    /** Reads the checklist, keeps it, and plans what an officer does about each step seen for the first time. */
    const readChecklist = async (record: CaseRecord, at: number, plan = true) => {
      const response = await api('read checklist', 'GET', `/v1/cases/${record.id}/sop`, await token('investigating_officer', record.stationCode), at);
      if (response.status !== 200) return;
      const steps = [...(response.body!.now as ApiStep[]), ...(response.body!.closed as ApiStep[])];
      for (const step of steps) {
        const previous = record.steps.get(step.key);
        const act = record.acts.get(step.key);
        const state = toStep(step, previous, act);
        record.steps.set(step.key, state);
        if (act && state.apiClosedAt && state.apiClosedAt.getTime() !== act.at.getTime() && findings.clockDisagreements.length < 20) {
          findings.clockDisagreements.push(`${record.id} ${step.key}: closed at ${state.apiClosedAt.toISOString()}, the replay closed it at ${act.at.toISOString()}`);
        }
        if (plan && !previous && state.status === 'pending') planStep(record, state, at);
      }
    };

    const planStep = (record: CaseRecord, step: StepState, now: number) => {
      const r = caseRng.get(record)!;
      const behaviour: Behaviour = r.weighted(SCENARIO.behaviour);
      behaviours.set(behaviour, (behaviours.get(behaviour) ?? 0) + 1);
      if (behaviour === 'never') return;
      const due = step.dueAt.getTime();
      const from = Math.max(now, step.triggeredAt.getTime());
      let at: number;
      if (behaviour === 'on_time') {
        at = due - from < 2 * MINUTE ? now + r.between(1, 10) * MINUTE : from + r.between(0.1, 0.9) * (due - from);
      } else {
        at = Math.max(due, now) + Math.exp(r.between(Math.log(2), Math.log(480))) * MINUTE;
      }
      agenda.push({ at: Math.round(at), type: 'act', record, key: step.key });
    };

    let referenceNumber = 0;
    /** Drafts, approves and sends one request, as the case's officer and (for police orders) its station house officer. */
    const sendRequest = async (record: CaseRecord, platformKey: string, kind: string, stepKey: string, at: number) => {
      const officer = await token('investigating_officer', record.stationCode);
      const draft = await api('draft request', 'POST', `/v1/cases/${record.id}/requests`, officer, at, { platformKey, kind });
      if (draft.status !== 201) return false;
      const id = draft.body!.id as string;
      const path = `/v1/cases/${record.id}/requests/${id}/transitions`;
      const approver = SUPERVISED_KINDS.has(kind) ? await token('station_house_officer', record.stationCode) : officer;
      if ((await api('approve request', 'POST', path, approver, at, { to: 'approved' })).status !== 200) return false;
      const sent = await api('send request', 'POST', path, officer, at, { to: 'sent' });
      if (sent.status !== 200) return false;
      const request: RequestRecord = {
        id,
        platformKey,
        kind,
        stepKey,
        createdAt: new Date(at),
        sentAt: new Date(at),
        answers: [],
        respondBy: typeof sent.body!.respondBy === 'string' ? new Date(sent.body!.respondBy) : null,
        reminderAt: typeof sent.body!.reminderAt === 'string' ? new Date(sent.body!.reminderAt) : null,
      };
      record.requests.push(request);
      const r = caseRng.get(record)!;
      const draw = r.next();
      if (draw < SCENARIO.answers.acknowledged) {
        const ackAt = at + Math.round(r.between(0.5, 60) * HOUR);
        agenda.push({ at: ackAt, type: 'answer', record, request, to: 'acknowledged' });
        if (r.chance(SCENARIO.answers.actionedAfterAck)) agenda.push({ at: ackAt + Math.round(r.between(1, 48) * HOUR), type: 'answer', record, request, to: 'actioned' });
      } else if (draw < SCENARIO.answers.acknowledged + SCENARIO.answers.refused) {
        agenda.push({ at: at + Math.round(r.between(2, 72) * HOUR), type: 'answer', record, request, to: 'refused' });
      }
      return true;
    };

    const tick = async (record: CaseRecord, key: string, at: number, outcome: 'done' | 'skipped') => {
      const response = await api(`step ${outcome}`, 'POST', `/v1/cases/${record.id}/sop/steps/${encodeURIComponent(key)}`, await token('investigating_officer', record.stationCode), at, {
        outcome,
        ...(outcome === 'skipped' ? { reason: 'Nothing to preserve: the victim had already deleted the chats' } : {}),
      });
      return response.status === 200;
    };

    /** The real action for a step; true when it is meant to close the step by itself. */
    const actOn = async (record: CaseRecord, step: StepState, at: number): Promise<{ act: StepAct['act']; closes: boolean; outcome: 'done' | 'skipped' }> => {
      const officer = await token('investigating_officer', record.stationCode);
      const definition = step.definitionKey;
      if (definition === 'victim-safety') {
        if (findings.safetyScreen !== 'absent (404)') {
          const screen = await api('safety screen', 'POST', `/v1/cases/${record.id}/safety-screen`, officer, at, {
            riskLevel: record.facts.riskLevel,
            neverContactThroughFamily: record.facts.neverContactThroughFamily,
            consentToContact: record.facts.consentToContact,
            victimIsMinor: record.facts.minor,
          });
          // The case exists (the replay just reported it): a 404 means the endpoint is not there yet.
          if (screen.status === 404) {
            findings.safetyScreen = 'absent (404)';
          } else if (screen.status < 300) {
            findings.safetyScreen = 'served';
            record.screen = 'recorded';
            return { act: 'safety-screen', closes: true, outcome: 'done' };
          } else {
            findings.safetyScreen = 'failing';
            record.screen = 'failed';
          }
        }
        if (findings.safetyScreen === 'absent (404)') record.screen = 'absent';
        await tick(record, step.key, at, 'done');
        return { act: 'tick', closes: false, outcome: 'done' };
      }
      if (definition === 'register-fir') {
        const caseBody = await api('read case', 'GET', `/v1/cases/${record.id}`, officer, at);
        if (['reported', 'triaged'].includes(String(caseBody.body?.status))) await api('transition case', 'POST', `/v1/cases/${record.id}/transitions`, officer, at, { to: 'under_investigation' });
        referenceNumber += 1;
        const sections = ['IT Act 66E', 'IT Act 67A', 'BNS 308(2)', ...(record.facts.minor ? ['POCSO 11', 'POCSO 12'] : [])];
        await api('add reference', 'POST', `/v1/cases/${record.id}/references`, officer, at, { kind: 'fir', value: `${String(referenceNumber).padStart(4, '0')}/2030`, sections, issuedAt: new Date(at - MINUTE).toISOString() });
        record.references.push({ kind: 'fir', at: new Date(at - MINUTE) });
        const moved = await api('transition case', 'POST', `/v1/cases/${record.id}/transitions`, officer, at, { to: 'fir_registered' });
        if (moved.status === 200) record.firRegisteredAt = new Date(at);
        return { act: 'fir', closes: true, outcome: 'done' };
      }
      const referenceKind = REFERENCE_FOR_STEP[definition];
      if (referenceKind) {
        referenceNumber += 1;
        const value = referenceKind === 'helpline_ticket' ? `1930-${300000 + referenceNumber}` : `NCRP${31000000000 + referenceNumber}`;
        const added = await api('add reference', 'POST', `/v1/cases/${record.id}/references`, officer, at, { kind: referenceKind, value, issuedAt: new Date(at - MINUTE).toISOString() });
        if (added.status === 201) record.references.push({ kind: referenceKind, at: new Date(at - MINUTE) });
        return { act: 'reference', closes: true, outcome: 'done' };
      }
      if (definition === 'preserve-evidence') {
        const r = caseRng.get(record)!;
        const skip = r.chance(SCENARIO.preserveSkipShare);
        if (!skip) {
          const sha256 = Array.from({ length: 64 }, () => '0123456789abcdef'[r.integer(0, 15)]).join('');
          const added = await api('add evidence', 'POST', `/v1/cases/${record.id}/evidence`, officer, at, {
            kind: 'screenshot',
            description: 'Screenshots of the chat and the offender\'s profile',
            sha256,
            capturedAt: new Date(at - MINUTE).toISOString(),
          });
          if (added.status === 201) record.firstEvidenceAt ??= new Date(at - MINUTE);
        }
        await tick(record, step.key, at, skip ? 'skipped' : 'done');
        return { act: skip ? 'skip' : 'evidence+tick', closes: false, outcome: skip ? 'skipped' : 'done' };
      }
      if (step.requestKind) {
        const kind = step.requestKind;
        const targets = step.platformKey ? [step.platformKey] : PLATFORM_REQUEST_KINDS.has(kind) ? record.facts.platforms : [BODY_FOR_REQUEST_KIND[kind] ?? 'telecoms'];
        let sentAny = false;
        for (const target of targets) sentAny = (await sendRequest(record, target, kind, step.key, at)) || sentAny;
        return { act: 'requests', closes: sentAny, outcome: 'done' };
      }
      await tick(record, step.key, at, 'done');
      return { act: 'tick', closes: false, outcome: 'done' };
    };

    const onReport = async (index: number, at: number) => {
      const r = rng.fork(`case-${index}`);
      const facts = caseFacts(r, new Date(at));
      const station = r.pick(stations).code;
      const created = await api('report case', 'POST', '/v1/cases', await token('duty_officer', station), at, intakeBody(facts, index, new Date(at)));
      if (created.status !== 201) {
        findings.intakeFailures += 1;
        return;
      }
      const record: CaseRecord = {
        index,
        id: created.body!.id as string,
        stationCode: station,
        reportedAt: new Date(at),
        facts,
        screen: null,
        references: [],
        firRegisteredAt: null,
        firstEvidenceAt: null,
        requests: [],
        steps: new Map(),
        acts: new Map(),
      };
      records.push(record);
      caseRng.set(record, r);
      await readChecklist(record, at);
    };

    const onAct = async (record: CaseRecord, key: string, at: number) => {
      const step = record.steps.get(key);
      if (!step || step.status !== 'pending') return;
      // An officer files an action-taken report only while there is no FIR.
      if (step.definitionKey === 'action-taken-report' && record.firRegisteredAt) return;
      const done = await actOn(record, step, at);
      const act: StepAct = { act: done.act, at: new Date(at), outcome: done.outcome, completedByAct: false };
      record.acts.set(key, act);
      await readChecklist(record, at);
      if (done.closes) {
        if (record.steps.get(key)?.status === 'pending') {
          const finding = findings.actsNotCompleting.get(step.definitionKey) ?? { count: 0, example: `${done.act} on ${key} of case ${record.id}` };
          finding.count += 1;
          findings.actsNotCompleting.set(step.definitionKey, finding);
          if (await tick(record, key, at, 'done')) await readChecklist(record, at);
        } else {
          act.completedByAct = true;
        }
      }
    };

    const onAnswer = async (record: CaseRecord, request: RequestRecord, to: string, at: number) => {
      const moved = await api('platform answer', 'POST', `/v1/cases/${record.id}/requests/${request.id}/transitions`, await token('investigating_officer', record.stationCode), at, { to });
      if (moved.status === 200) request.answers.push({ status: to, at: new Date(at) });
    };

    // ------------------------------------------------------------ the sweeps, exact to the minute
    const escalations: Array<{ plannedAt: number; escalatedAt: number; level: number; catchUp: boolean }> = [];
    const missedAtDueSweep = new Map<string, { level: number; plannedAt: number }>();
    let sweeps = 0;
    let lastSweep = start - MINUTE;
    /**
     * The next minute boundary at which something is due: a step's next escalation (one already due,
     * such as a step born overdue, makes it the next minute), a preservation reminder, a platform's deadline.
     */
    const nextSweepAt = async (clock: number) => {
      const [row] = await ownerQuery<{ step: Date | null; other: Date | null }>(
        `SELECT (SELECT min(next_escalation_at) FROM case_steps WHERE unit_id = $1 AND status = 'pending') AS step,
                least(
                  (SELECT min(r.reminder_at) FROM platform_requests r JOIN cases c ON c.id = r.case_id WHERE c.unit_id = $1 AND r.reminder_at > $2),
                  (SELECT min(r.respond_by) FROM platform_requests r JOIN cases c ON c.id = r.case_id
                    WHERE c.unit_id = $1 AND r.status = 'sent' AND r.deadline_missed_at IS NULL AND r.respond_by > $2)
                ) AS other`,
        [unitId, new Date(lastSweep)],
      );
      const due = Math.min(row?.step?.getTime() ?? Infinity, row?.other?.getTime() ?? Infinity);
      return due === Infinity ? Infinity : Math.max(ceilMinute(due), ceilMinute(clock), lastSweep + MINUTE);
    };
    const sweep = async (at: number) => {
      // Planned: next_escalation_at, or when the step came to be (a step born overdue), or its previous alert (one level a sweep).
      const due = await ownerQuery<{ id: string; level: number; planned: Date; catchUp: boolean }>(
        `SELECT s.id, s.escalation_level + 1 AS level, p.planned, p.planned > s.next_escalation_at AS "catchUp"
           FROM case_steps s
           CROSS JOIN LATERAL (SELECT greatest(s.next_escalation_at, s.created_at, (SELECT max(e.escalated_at) FROM step_escalations e WHERE e.case_step_id = s.id)) AS planned) p
          WHERE s.unit_id = $1 AND s.status = 'pending' AND s.next_escalation_at <= $2`,
        [unitId, new Date(at)],
      );
      const began = performance.now();
      await runScheduledWork(config, new Date(at));
      spent.sweepMs += performance.now() - began;
      sweeps += 1;
      lastSweep = at;
      if (due.length === 0) return;
      const done = await ownerQuery<{ id: string; level: number; at: Date }>(
        `SELECT case_step_id AS id, level, escalated_at AS at FROM step_escalations WHERE case_step_id = ANY($1::uuid[])`,
        [due.map((row) => row.id)],
      );
      const escalatedAt = new Map(done.map((row) => [`${row.id}:${row.level}`, row.at.getTime()]));
      for (const row of due) {
        const name = `${row.id}:${row.level}`;
        const planned = missedAtDueSweep.get(name)?.plannedAt ?? row.planned.getTime();
        const when = escalatedAt.get(name);
        if (when === undefined) {
          missedAtDueSweep.set(name, { level: row.level, plannedAt: planned });
        } else {
          missedAtDueSweep.delete(name);
          escalations.push({ plannedAt: planned, escalatedAt: when, level: row.level, catchUp: row.catchUp });
        }
      }
    };

    // ------------------------------------------------------------ due lists: sampled whenever the overdue load has grown
    const dueSamples: Array<{ at: string; overdueKnown: number; stations: Array<{ code: string; listed: number; overdue: number; knownPending: number; knownOverdue: number }>; district: { listed: number; overdue: number }; unit: { listed: number; overdue: number }; counts?: unknown }> = [];
    let sampledOverdue = 0;
    let nextSampleCheck = start + 6 * HOUR;
    const dueList = async (path: string, bearer: string, at: number) => {
      let listed = 0;
      let overdue = 0;
      let counts: unknown;
      for (let cursor: string | undefined, page = 0; page < 100; page += 1) {
        const response = await api('due list', 'GET', `${path}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, bearer, at);
        if (response.status !== 200) break;
        const data = response.body!.data as Array<{ overdue: boolean }>;
        listed += data.length;
        overdue += data.filter((item) => item.overdue).length;
        counts ??= response.body!.counts;
        const pagination = response.body!.pagination as { nextCursor: string | null; hasMore: boolean };
        if (!pagination.hasMore || !pagination.nextCursor) break;
        cursor = pagination.nextCursor;
      }
      return { listed, overdue, counts };
    };
    const sampleDueLists = async (at: number, overdueKnown: number) => {
      const perStation = [];
      for (const station of stations) {
        const listed = await dueList(`/v1/stations/${station.code}/due`, await token('investigating_officer', station.code), at);
        const known = records.filter((record) => record.stationCode === station.code).flatMap((record) => [...record.steps.values()].filter((step) => step.status === 'pending'));
        perStation.push({ code: station.code, listed: listed.listed, overdue: listed.overdue, knownPending: known.length, knownOverdue: known.filter((step) => step.dueAt.getTime() < at).length });
      }
      const district = await dueList(`/v1/districts/${districtCode}/due`, await token('district_supervisor'), at);
      const unit = await dueList(`/v1/units/${unitCode}/due`, await token('unit_supervisor'), at);
      dueSamples.push({ at: new Date(at).toISOString(), overdueKnown, stations: perStation, district: { listed: district.listed, overdue: district.overdue }, unit: { listed: unit.listed, overdue: unit.overdue }, counts: unit.counts });
    };
    const overdueKnownAt = (at: number) => records.reduce((sum, record) => sum + [...record.steps.values()].filter((step) => step.status === 'pending' && step.dueAt.getTime() < at).length, 0);

    // ------------------------------------------------------------ the month
    let clock = start;
    let nextProgress = start + DAY;
    for (;;) {
      const event = agenda.peek();
      const eventAt = event?.at ?? Infinity;
      const sweepAt = await nextSweepAt(clock);
      if (sweepAt <= end && sweepAt <= eventAt) {
        clock = sweepAt;
        await sweep(sweepAt);
      } else if (eventAt < end) {
        agenda.pop();
        clock = eventAt;
        if (event!.type === 'report') {
          await onReport(event!.index, clock);
        } else if (event!.type === 'act') await onAct(event!.record, event!.key, clock);
        else await onAnswer(event!.record, event!.request, event!.to, clock);
      } else {
        break;
      }
      if (clock >= nextSampleCheck) {
        nextSampleCheck += 6 * HOUR;
        const overdue = overdueKnownAt(clock);
        if (overdue > sampledOverdue * 1.1) {
          sampledOverdue = overdue;
          await sampleDueLists(clock, overdue);
        }
      }
      if (clock >= nextProgress) {
        log(`  day ${Math.round((nextProgress - start) / DAY)}: ${records.length} cases, ${calls.total} API calls (${Math.round(spent.apiMs / 1000)} s), ${sweeps} sweeps (${Math.round(spent.sweepMs / 1000)} s), owner reads ${Math.round(ownerMs / 1000)} s, ${escalations.length} escalations (${Math.round((Date.now() - startedReal) / 1000)} s)`);
        nextProgress += DAY;
      }
    }
    const finalSweepAt = end;
    if (lastSweep < finalSweepAt) {
      await sweep(finalSweepAt);
    }
    const busiest = await overdueKnownAt(end);
    if (busiest > sampledOverdue) await sampleDueLists(end, busiest);

    // ------------------------------------------------------------ the end of the month: every checklist, the metrics
    log(`reading ${records.length} checklists and the SOP metrics at ${new Date(end).toISOString()}`);
    for (const record of records) await readChecklist(record, end, false);
    const mismatches: ChecklistMismatch[] = records.flatMap((record) => checkChecklist(record, new Date(end), turnaroundHours));
    const metrics = await api('SOP metrics', 'GET', `/v1/units/${unitCode}/metrics/sop?from=${new Date(start).toISOString()}&to=${new Date(end).toISOString()}`, await token('unit_supervisor'), end);
    const truth = metricsTruth(records, new Date(start), new Date(end), new Date(end));
    const metricCheck = metrics.status === 200 ? compareMetrics(metrics.body!, truth) : { mismatches: [{ where: 'request', field: 'status', api: metrics.status, truth: 200 }], notServed: [] };

    const never = await ownerQuery<{ key: string; reason: string; count: number }>(
      `SELECT s.definition_key AS key,
              CASE WHEN s.next_escalation_at IS NOT NULL AND s.next_escalation_at <= $2 THEN 'alert due, not sent'
                   WHEN s.escalation_level = 0 AND s.next_escalation_at IS NULL AND jsonb_array_length(coalesce(s.definition->'escalation', '[]')) > 0 THEN 'overdue, no alert planned'
              END AS reason, count(*)::int AS count
         FROM case_steps s
        WHERE s.unit_id = $1 AND s.status = 'pending' AND s.due_at < $2
          AND ((s.next_escalation_at IS NOT NULL AND s.next_escalation_at <= $2)
               OR (s.escalation_level = 0 AND s.next_escalation_at IS NULL AND jsonb_array_length(coalesce(s.definition->'escalation', '[]')) > 0))
        GROUP BY 1, 2 ORDER BY 3 DESC`,
      [unitId, new Date(end)],
    );
    const notYetDue = await ownerQuery<{ count: number }>(
      `SELECT count(*)::int AS count FROM case_steps WHERE unit_id = $1 AND status = 'pending' AND due_at < $2 AND escalation_level = 0 AND next_escalation_at > $2`,
      [unitId, new Date(end)],
    );
    const ladder = await ownerQuery<{ level: number; role: string | null; beyond: boolean; count: number }>(
      `SELECT e.level, e.role, e.level > jsonb_array_length(coalesce(s.definition->'escalation', '[]')) AS beyond, count(*)::int AS count
         FROM step_escalations e JOIN case_steps s ON s.id = e.case_step_id WHERE s.unit_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2`,
      [unitId],
    );
    const stalledAtTop = await ownerQuery<{ role: string | null; count: number }>(
      `SELECT s.definition->'escalation'->(jsonb_array_length(s.definition->'escalation') - 1)->>'role' AS role, count(*)::int AS count
         FROM case_steps s WHERE s.unit_id = $1 AND s.status = 'pending' AND s.next_escalation_at IS NULL AND s.escalation_level > 0 GROUP BY 1 ORDER BY 2 DESC`,
      [unitId],
    );

    return {
      options: { days: options.days, reportsPerDay: options.reportsPerDay, seed: options.seed, start: new Date(start).toISOString(), end: new Date(end).toISOString() },
      database: embedded ? 'embedded (PGlite), Neon driver through the local endpoint' : `PostgreSQL server, ${direct ? 'node-postgres' : 'Neon driver through the local endpoint'}`,
      unitCode,
      realSeconds: Math.round((Date.now() - startedReal) / 1000),
      spentSeconds: { api: Math.round(spent.apiMs / 1000), sweeps: Math.round(spent.sweepMs / 1000), ownerReads: Math.round(ownerMs / 1000) },
      records,
      calls,
      sweeps,
      behaviours: Object.fromEntries(behaviours),
      escalations,
      missedAtDueSweep: [...missedAtDueSweep.values()],
      never,
      overdueFirstAlertAfterEnd: notYetDue[0]?.count ?? 0,
      ladder,
      stalledAtTop,
      dueSamples,
      mismatches,
      metricCheck,
      metricsServed: metrics.body,
      truth,
      findings,
    };
  } finally {
    await owner.end();
    await pool?.end();
    await env.close();
  }
}

export type ReplayOutcome = Awaited<ReturnType<typeof replayMonth>>;
