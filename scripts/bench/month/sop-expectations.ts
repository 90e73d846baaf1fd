import type { CaseRecord, StepState } from './model.js';

/**
 * The one place that says what an officer must see for a case's facts (the base SOP v2 of
 * issue #12, as DOMAIN.md describes it) and how the SOP metrics are defined. Adjust it here
 * when the engine lands; the replay and the report only call the functions below.
 */

export interface ExpectedStep {
  rule: string;
  key: string;
  /** pending: present and open; closed: present and closed the way the replay closed it (status given); not-pending: absent or closed. */
  expect: 'pending' | 'closed' | 'not-pending';
  status?: string;
}

export interface ChecklistMismatch {
  rule: string;
  caseId: string;
  detail: string;
}

/** Request kinds sent to the platforms of the case itself; others go to a body (payment apps, telecoms). */
export const PLATFORM_REQUEST_KINDS = new Set(['takedown', 'preservation', 'emergency_disclosure', 'data_disclosure', 'preservation_extension']);
export const BODY_FOR_REQUEST_KIND: Record<string, string> = { payment_hold: 'payment-apps', sim_imei_block: 'telecoms' };

/** Reference kinds and the step each one completes by itself (issue #12, item 2). */
export const REFERENCE_FOR_STEP: Record<string, 'helpline_ticket' | 'ncrp_acknowledgement'> = { 'report-1930': 'helpline_ticket', 'portal-complaint': 'ncrp_acknowledgement' };

/** The platform answers that end a request's platform clock. */
const ANSWERS = new Set(['acknowledged', 'actioned', 'refused']);

interface Rule {
  name: string;
  /** The definition keys the rule governs: an actual step of one of these that the rule did not ask for is unexpected. */
  governs: string[];
  keys(record: CaseRecord, end: Date, turnaroundHours: (platform: string) => number | null): string[];
  /** Default: pending unless the replay closed it. */
  notPendingOnly?: (record: CaseRecord) => boolean;
  /** The step closes by itself (done) when this holds, though no officer acted on it. */
  doneByFact?: (record: CaseRecord, key: string, end: Date) => boolean;
}

const closedByReplay = (record: CaseRecord, key: string) => record.acts.has(key);
const doneByReplay = (record: CaseRecord, key: string) => record.acts.get(key)?.outcome === 'done';
const perPlatform = (prefix: string, platforms: string[]) => platforms.map((platform) => `${prefix}.${platform}`);
const hasFir = (record: CaseRecord) => record.firRegisteredAt !== null;
/** The screen was recorded and found a risk to life: what adds the hand-over and the emergency disclosures. */
const screenedHigh = (record: CaseRecord) => record.facts.riskLevel === 'high' && record.screen === 'recorded';

export const RULES: Rule[] = [
  { name: 'victim-safety: every case', governs: ['victim-safety'], keys: () => ['victim-safety'] },
  { name: 'safety-handover: a screen that found high risk', governs: ['safety-handover'], keys: (r) => (screenedHigh(r) ? ['safety-handover'] : []) },
  { name: 'stop-the-harm: every case', governs: ['stop-the-harm'], keys: () => ['stop-the-harm'] },
  { name: 'preserve-evidence: every case', governs: ['preserve-evidence'], keys: () => ['preserve-evidence'] },
  { name: 'report-1930: money paid', governs: ['report-1930'], keys: (r) => (r.facts.moneyPaid ? ['report-1930'] : []) },
  {
    name: 'portal-complaint: money paid, after report-1930 is done',
    governs: ['portal-complaint'],
    keys: (r) => (r.facts.moneyPaid && doneByReplay(r, 'report-1930') ? ['portal-complaint'] : []),
  },
  { name: 'platform-takedown.<p>: each platform', governs: ['platform-takedown'], keys: (r) => perPlatform('platform-takedown', r.facts.platforms) },
  { name: 'platform-preservation.<p>: each platform', governs: ['platform-preservation'], keys: (r) => perPlatform('platform-preservation', r.facts.platforms) },
  {
    name: 'emergency-disclosure.<p>: a screen that found high risk (not circulation)',
    governs: ['emergency-disclosure'],
    keys: (r) => (screenedHigh(r) ? perPlatform('emergency-disclosure', r.facts.platforms) : []),
  },
  {
    name: 'block-reuploads-minor / -adult: by the victim\'s age',
    governs: ['block-reuploads-minor', 'block-reuploads-adult'],
    keys: (r) => [r.facts.minor ? 'block-reuploads-minor' : 'block-reuploads-adult'],
  },
  { name: 'register-fir: every case', governs: ['register-fir'], keys: () => ['register-fir'] },
  { name: 'pocso-sections: minor, after register-fir is done', governs: ['pocso-sections'], keys: (r) => (r.facts.minor && doneByReplay(r, 'register-fir') ? ['pocso-sections'] : []) },
  { name: 'pocso-report: minor', governs: ['pocso-report'], keys: (r) => (r.facts.minor ? ['pocso-report'] : []) },
  {
    name: 'data-requests / identifier-lookups: once preserve-evidence is closed (done or skipped)',
    governs: ['data-requests', 'identifier-lookups'],
    keys: (r) => (closedByReplay(r, 'preserve-evidence') ? ['data-requests', 'identifier-lookups'] : []),
  },
  { name: 'bank-trail: money paid', governs: ['bank-trail'], keys: (r) => (r.facts.moneyPaid ? ['bank-trail'] : []) },
  { name: 'sim-imei-block: every case', governs: ['sim-imei-block'], keys: () => ['sim-imei-block'] },
  {
    name: 'action-taken-report: only while there is no FIR',
    governs: ['action-taken-report'],
    keys: () => ['action-taken-report'],
    notPendingOnly: hasFir,
  },
  {
    name: 'platform-follow-up.<p>: a sent request\'s platform deadline missed',
    governs: ['platform-follow-up'],
    keys: (r, end, turnaroundHours) => [
      ...new Set(
        r.requests
          .filter((request) => request.sentAt !== null && r.facts.platforms.includes(request.platformKey))
          .filter((request) => {
            const hours = turnaroundHours(request.platformKey);
            const deadline = request.respondBy ?? (hours === null ? null : new Date(request.sentAt!.getTime() + hours * 3_600_000));
            if (deadline === null || deadline > end) return false;
            const answer = request.answers.find((a) => ANSWERS.has(a.status));
            return !answer || answer.at > deadline;
          })
          .map((request) => `platform-follow-up.${request.platformKey}`),
      ),
    ],
    // The platform's answer, late as it is, completes the follow-up.
    doneByFact: (r, key, end) =>
      r.requests.some(
        (request) =>
          `platform-follow-up.${request.platformKey}` === key &&
          request.answers.some((answer) => ANSWERS.has(answer.status) && answer.at <= end && request.respondBy !== null && answer.at > request.respondBy),
      ),
  },
  {
    name: 'preservation-extension.<p>: a preservation nearing its end',
    governs: ['preservation-extension'],
    keys: (r, end) => [
      ...new Set(r.requests.filter((request) => request.kind === 'preservation' && request.reminderAt !== null && request.reminderAt <= end).map((request) => `preservation-extension.${request.platformKey}`)),
    ],
  },
];

/** What the checklist of a case must hold, from its facts and what the replay did. */
export function expectedChecklist(record: CaseRecord, end: Date, turnaroundHours: (platform: string) => number | null): ExpectedStep[] {
  return RULES.flatMap((rule) =>
    rule.keys(record, end, turnaroundHours).map((key): ExpectedStep => {
      if (rule.notPendingOnly?.(record)) return { rule: rule.name, key, expect: 'not-pending' };
      const act = record.acts.get(key);
      if (act) return { rule: rule.name, key, expect: 'closed', status: act.outcome };
      return rule.doneByFact?.(record, key, end) ? { rule: rule.name, key, expect: 'closed', status: 'done' } : { rule: rule.name, key, expect: 'pending' };
    }),
  );
}

const ruleGoverning = (definitionKey: string) => RULES.find((rule) => rule.governs.includes(definitionKey))?.name ?? 'steps the domain brief does not name';

/** Every difference between a case's actual checklist and the expected one, named by rule. Retired steps count as absent. */
export function checkChecklist(record: CaseRecord, end: Date, turnaroundHours: (platform: string) => number | null): ChecklistMismatch[] {
  const expected = expectedChecklist(record, end, turnaroundHours);
  const actual = new Map([...record.steps.values()].filter((step) => step.status !== 'retired').map((step) => [step.key, step]));
  const mismatches: ChecklistMismatch[] = [];
  const mismatch = (rule: string, detail: string) => mismatches.push({ rule, caseId: record.id, detail });
  for (const step of expected) {
    const found = actual.get(step.key);
    actual.delete(step.key);
    if (step.expect === 'not-pending') {
      if (found?.status === 'pending') mismatch(step.rule, `${step.key} is pending`);
    } else if (!found) {
      mismatch(step.rule, `${step.key} is missing`);
    } else if (step.expect === 'pending' && found.status !== 'pending') {
      mismatch(step.rule, `${step.key} is ${found.status}, though nobody acted on it`);
    } else if (step.expect === 'closed' && found.status !== step.status) {
      mismatch(step.rule, `${step.key} is ${found.status}, expected ${step.status}`);
    }
  }
  for (const step of actual.values()) mismatch(ruleGoverning(step.definitionKey), `${step.key} (${step.status}) is not called for`);
  return mismatches;
}

// ---------------------------------------------------------------- the SOP metrics

/** Continuous median (the mean of the middle two for an even count), as the API computes it. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
}

const minutesBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;

export interface Figures {
  cases: number;
  casesWithRequestSent: number;
  medianMinutesToFirstRequestSent: number | null;
  steps: { done: number; doneOnTime: number; onTimeShare: number | null; openOverdue: number };
  requestsAnswered: number;
  medianTurnaroundMinutes: number | null;
  /** Issue #12, item 9: compared only once the API serves them. */
  medianMinutesToFirstEvidence: number | null;
  medianMinutesTo1930Report: number | null;
  medianMinutesToFir: number | null;
  firShare: number | null;
}

/** A request's turnaround: sent to the platform's first answer (acknowledged, actioned or refused, as the v2 metrics count it). */
const turnaround = (request: CaseRecord['requests'][number]) => {
  const first = request.answers.filter((answer) => ANSWERS.has(answer.status)).map((answer) => answer.at.getTime());
  return request.sentAt === null || first.length === 0 ? null : (Math.min(...first) - request.sentAt.getTime()) / 60_000;
};

function figuresOf(records: CaseRecord[], now: Date, stepsOf: (record: CaseRecord) => StepState[], requestsOf: (record: CaseRecord) => CaseRecord['requests']): Figures {
  const firstSent: number[] = [];
  const turnarounds: number[] = [];
  let done = 0;
  let onTime = 0;
  let overdue = 0;
  for (const record of records) {
    const sent = requestsOf(record).filter((request) => request.sentAt !== null).map((request) => request.sentAt!.getTime());
    if (sent.length > 0) firstSent.push(minutesBetween(record.reportedAt, new Date(Math.min(...sent))));
    for (const request of requestsOf(record)) {
      const minutes = turnaround(request);
      if (minutes !== null) turnarounds.push(minutes);
    }
    for (const step of stepsOf(record)) {
      if (step.status === 'done') {
        done += 1;
        if (step.closedAt !== null && step.closedAt <= step.dueAt) onTime += 1;
      }
      if (step.status === 'pending' && step.dueAt < now) overdue += 1;
    }
  }
  const firstOf = (record: CaseRecord, kind: string) => record.references.filter((reference) => reference.kind === kind).map((reference) => reference.at)[0];
  const since = (dates: Array<[CaseRecord, Date | null | undefined]>) => median(dates.filter(([, at]) => at).map(([record, at]) => minutesBetween(record.reportedAt, at!)));
  const withFir = records.filter((record) => firstOf(record, 'fir') !== undefined).length;
  return {
    cases: records.length,
    casesWithRequestSent: firstSent.length,
    medianMinutesToFirstRequestSent: median(firstSent),
    steps: { done, doneOnTime: onTime, onTimeShare: done === 0 ? null : onTime / done, openOverdue: overdue },
    requestsAnswered: turnarounds.length,
    medianTurnaroundMinutes: median(turnarounds),
    medianMinutesToFirstEvidence: since(records.map((record) => [record, record.firstEvidenceAt])),
    medianMinutesTo1930Report: since(records.map((record) => [record, firstOf(record, 'helpline_ticket')])),
    medianMinutesToFir: since(records.map((record) => [record, firstOf(record, 'fir')])),
    firShare: records.length === 0 ? null : withFir / records.length,
  };
}

export interface MetricsTruth {
  total: Figures;
  stations: Array<{ stationCode: string } & Figures>;
  platforms: Array<{ platformKey: string; requests: number; requestsSent: number } & Figures>;
}

/**
 * GET /v1/units/{unit}/metrics/sop as it must be for the cases reported in [from, to), as of `now`:
 * per station holding the case (the replay makes no transfers) with the unit's total; per platform,
 * every case the platform was involved in or was sent a request on (issue #12, item 9), with its own
 * requests and its own per-platform steps.
 */
export function metricsTruth(records: CaseRecord[], from: Date, to: Date, now: Date): MetricsTruth {
  const inWindow = records.filter((record) => record.reportedAt >= from && record.reportedAt < to);
  const allSteps = (record: CaseRecord) => [...record.steps.values()];
  const allRequests = (record: CaseRecord) => record.requests;
  const stations = [...new Set(inWindow.map((record) => record.stationCode))].sort();
  const platforms = [...new Set(inWindow.flatMap((record) => [...record.facts.platforms, ...record.requests.map((request) => request.platformKey)]))].sort();
  return {
    total: figuresOf(inWindow, now, allSteps, allRequests),
    stations: stations.map((stationCode) => ({ stationCode, ...figuresOf(inWindow.filter((record) => record.stationCode === stationCode), now, allSteps, allRequests) })),
    platforms: platforms.map((platformKey) => {
      const involved = inWindow.filter((record) => record.facts.platforms.includes(platformKey) || record.requests.some((request) => request.platformKey === platformKey));
      const requestsTo = (record: CaseRecord) => record.requests.filter((request) => request.platformKey === platformKey);
      const figures = figuresOf(involved, now, (record) => allSteps(record).filter((step) => step.platformKey === platformKey), requestsTo);
      const requests = involved.flatMap(requestsTo);
      return { platformKey, requests: requests.length, requestsSent: requests.filter((request) => request.sentAt !== null).length, ...figures };
    }),
  };
}

export interface MetricMismatch {
  where: string;
  field: string;
  api: unknown;
  truth: unknown;
}

/** The API rounds minutes to two decimals: a figure matches when it is the truth so rounded. */
const sameNumber = (a: unknown, b: unknown) => (a === null || b === null ? a === b : typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 0.005 + 1e-9);

/** Figures the API serves nested (a milestone's median), under the replay's flat names. */
const SERVED_AS: Record<string, (row: Record<string, unknown>) => unknown> = {
  medianMinutesToFirstEvidence: (row) => (row.firstEvidence as { medianMinutes?: unknown } | undefined)?.medianMinutes,
  medianMinutesTo1930Report: (row) => (row.report1930 as { medianMinutes?: unknown } | undefined)?.medianMinutes,
  medianMinutesToFir: (row) => (row.fir as { medianMinutes?: unknown } | undefined)?.medianMinutes,
};

/** Every field of the API's figures against the truth; planned fields the API does not serve yet are listed apart. */
export function compareMetrics(api: Record<string, unknown>, truth: MetricsTruth): { mismatches: MetricMismatch[]; notServed: string[] } {
  const mismatches: MetricMismatch[] = [];
  const notServed = new Set<string>();
  const compare = (where: string, served: Record<string, unknown> | undefined, expected: Record<string, unknown>) => {
    if (!served) {
      mismatches.push({ where, field: '(row)', api: 'absent', truth: 'present' });
      return;
    }
    for (const [field, value] of Object.entries(expected)) {
      if (field === 'stationCode' || field === 'platformKey') continue;
      if (field === 'steps') {
        compare(`${where} steps`, served.steps as Record<string, unknown>, value as Record<string, unknown>);
        continue;
      }
      const servedValue = field in served ? served[field] : SERVED_AS[field]?.(served);
      if (servedValue === undefined) {
        // The milestones are the stations' and the unit's figures; a platform's row has none.
        if (!where.startsWith('platform') || !(field in SERVED_AS || field === 'firShare')) notServed.add(field);
        continue;
      }
      if (!sameNumber(servedValue, value)) mismatches.push({ where, field, api: servedValue, truth: value });
    }
  };
  compare('total', api.total as Record<string, unknown>, truth.total as unknown as Record<string, unknown>);
  const rows = (name: 'stations' | 'platforms', key: 'stationCode' | 'platformKey') => new Map(((api[name] ?? []) as Array<Record<string, unknown>>).map((row) => [row[key] as string, row]));
  const stationRows = rows('stations', 'stationCode');
  for (const station of truth.stations) {
    compare(`station ${station.stationCode}`, stationRows.get(station.stationCode), station as unknown as Record<string, unknown>);
    stationRows.delete(station.stationCode);
  }
  for (const code of stationRows.keys()) mismatches.push({ where: `station ${code}`, field: '(row)', api: 'present', truth: 'absent' });
  const platformRows = rows('platforms', 'platformKey');
  for (const platform of truth.platforms) {
    compare(`platform ${platform.platformKey}`, platformRows.get(platform.platformKey), platform as unknown as Record<string, unknown>);
    platformRows.delete(platform.platformKey);
  }
  for (const key of platformRows.keys()) mismatches.push({ where: `platform ${key}`, field: '(row)', api: 'present', truth: 'absent' });
  return { mismatches, notServed: [...notServed].sort() };
}
