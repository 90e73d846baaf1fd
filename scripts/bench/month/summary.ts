import os from 'node:os';
import { percentile } from '../setup.js';
import type { ReplayOutcome } from './replay.js';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The figures of a replay, as written to bench/month-results.json (the per-case records stay out). */
export function summarize(outcome: ReplayOutcome) {
  const latencies = outcome.escalations.map((e) => (e.escalatedAt - e.plannedAt) / 1000);
  const within = latencies.filter((seconds) => seconds >= 0 && seconds <= 60).length;
  const never = outcome.never.reduce((sum, row) => sum + row.count, 0) + 0;
  const stepsPerCase = outcome.records.map((record) => [...record.steps.values()].filter((step) => step.status !== 'retired').length);
  const histogram: Record<string, number> = {};
  for (const count of stepsPerCase) histogram[count] = (histogram[count] ?? 0) + 1;
  const byPlatformCount: Record<string, number> = {};
  for (const platforms of [1, 2, 3]) {
    const of = outcome.records.filter((record) => record.facts.platforms.length === platforms).map((record) => [...record.steps.values()].filter((step) => step.status !== 'retired').length);
    if (of.length) byPlatformCount[`${platforms} platform${platforms > 1 ? 's' : ''}`] = round(of.reduce((a, b) => a + b, 0) / of.length);
  }
  const busiest = [...outcome.dueSamples].sort((a, b) => b.overdueKnown - a.overdueKnown)[0];
  const rules = new Map<string, { cases: Set<string>; mismatches: number; examples: string[] }>();
  for (const mismatch of outcome.mismatches) {
    const rule = rules.get(mismatch.rule) ?? { cases: new Set(), mismatches: 0, examples: [] };
    rule.cases.add(mismatch.caseId);
    rule.mismatches += 1;
    if (rule.examples.length < 3) rule.examples.push(`${mismatch.caseId}: ${mismatch.detail}`);
    rules.set(mismatch.rule, rule);
  }
  const casesMismatched = new Set(outcome.mismatches.map((mismatch) => mismatch.caseId)).size;
  const facts = outcome.records.map((record) => record.facts);
  const share = (count: number) => round((100 * count) / Math.max(1, facts.length));
  return {
    ranAt: new Date().toISOString(),
    machine: { cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`, node: process.version, database: outcome.database },
    options: outcome.options,
    realSeconds: outcome.realSeconds,
    realSecondsSpentIn: outcome.spentSeconds,
    replayed: {
      cases: outcome.records.length,
      minorsPercent: share(facts.filter((f) => f.minor).length),
      moneyPaidPercent: share(facts.filter((f) => f.moneyPaid).length),
      circulatedPercent: share(facts.filter((f) => f.imagesCirculated).length),
      highRiskPercent: share(facts.filter((f) => f.riskLevel === 'high').length),
      platformsPerCase: round(facts.reduce((sum, f) => sum + f.platforms.length, 0) / Math.max(1, facts.length), 2),
      officerBehaviourPerStep: outcome.behaviours,
      requestsSent: outcome.records.reduce((sum, record) => sum + record.requests.filter((request) => request.sentAt).length, 0),
      apiCalls: outcome.calls.total,
      apiCallsFailed: outcome.calls.failed,
      msPerCallByOperation: Object.fromEntries([...outcome.calls.byOperation].map(([name, tally]) => [name, { calls: tally.calls, meanMs: round(tally.ms / tally.calls, 1) }])),
      failuresByOperation: Object.fromEntries([...outcome.calls.byOperation].filter(([, tally]) => tally.failed > 0).map(([name, tally]) => [name, { failed: tally.failed, of: tally.calls, example: tally.example }])),
      sweeps: outcome.sweeps,
    },
    escalation: {
      escalations: latencies.length,
      withinNextSweepMinute: within,
      ofWhichCatchUp: outcome.escalations.filter((e) => e.catchUp).length,
      withinNextSweepMinutePercent: latencies.length === 0 ? 100 : round((100 * within) / latencies.length, 2),
      latencySeconds: latencies.length === 0 ? null : { p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2), max: round(Math.max(...latencies), 2) },
      missedAtTheirDueSweep: outcome.missedAtDueSweep.length,
      neverEscalated: never,
      neverEscalatedByStep: outcome.never,
      overdueWithFirstAlertAfterTheEnd: outcome.overdueFirstAlertAfterEnd,
      byLevel: outcome.ladder.map((row) => ({ level: row.level, role: row.role, repeat: row.beyond, count: row.count })),
      repeatAlerts: outcome.ladder.filter((row) => row.beyond).reduce((sum, row) => sum + row.count, 0),
      pendingAtTheTopOfTheirChainWithNoFurtherAlert: outcome.stalledAtTop,
    },
    stepsPerCase: {
      mean: round(stepsPerCase.reduce((a, b) => a + b, 0) / Math.max(1, stepsPerCase.length), 2),
      p50: percentile(stepsPerCase, 50),
      p90: percentile(stepsPerCase, 90),
      max: stepsPerCase.length ? Math.max(...stepsPerCase) : 0,
      meanByPlatformCount: byPlatformCount,
      histogram,
    },
    dueAtTheBusiestMinute: busiest
      ? {
          at: busiest.at,
          overdueStepsUnitWide: busiest.overdueKnown,
          stationLists: {
            largest: Math.max(...busiest.stations.map((s) => s.listed)),
            median: percentile(busiest.stations.map((s) => s.listed), 50),
            total: busiest.stations.reduce((sum, s) => sum + s.listed, 0),
            overdueTotal: busiest.stations.reduce((sum, s) => sum + s.overdue, 0),
            stationsWhoseListDiffersFromTheReplaysPendingSteps: busiest.stations.filter((s) => s.listed !== s.knownPending).map((s) => `${s.code}: listed ${s.listed}, pending ${s.knownPending}`),
          },
          districtList: busiest.district,
          unitList: busiest.unit,
          countsServed: busiest.counts ?? null,
          samples: outcome.dueSamples.length,
        }
      : null,
    metrics: {
      checkedAgainstTheReplaysOwnRecord: true,
      mismatches: outcome.metricCheck.mismatches.length,
      everyMismatch: outcome.metricCheck.mismatches,
      plannedFiguresNotServedYet: outcome.metricCheck.notServed,
    },
    checklist: {
      cases: outcome.records.length,
      casesMatching: outcome.records.length - casesMismatched,
      casesMismatched,
      rules: [...rules].map(([rule, figures]) => ({ rule, casesMismatched: figures.cases.size, mismatches: figures.mismatches, examples: figures.examples })).sort((a, b) => b.casesMismatched - a.casesMismatched),
    },
    findings: {
      safetyScreenEndpoint: outcome.findings.safetyScreen,
      realActionsThatLeftTheirStepPending: Object.fromEntries(outcome.findings.actsNotCompleting),
      closeTimesTheApiGivesDifferently: outcome.findings.clockDisagreements,
      intakeFailures: outcome.findings.intakeFailures,
    },
  };
}

export type MonthResults = ReturnType<typeof summarize>;

/** bench/month-results.md: the figures a reader wants first. */
export function markdown(results: MonthResults): string {
  const e = results.escalation;
  const lines = [
    '# A month replayed (npm run bench:month)',
    '',
    `Ran ${results.ranAt} on ${results.machine.cpus}, Node ${results.machine.node}, ${results.machine.database}, in ${results.realSeconds} s (API ${results.realSecondsSpentIn.api} s, sweeps ${results.realSecondsSpentIn.sweeps} s, the replay's own reads ${results.realSecondsSpentIn.ownerReads} s).`,
    `Simulated ${results.options.start} → ${results.options.end} (${results.options.days} days, ${results.options.reportsPerDay} reports a day, seed ${results.options.seed}).`,
    '',
    `- Cases: ${results.replayed.cases} (minors ${results.replayed.minorsPercent} %, money paid ${results.replayed.moneyPaidPercent} %, circulated ${results.replayed.circulatedPercent} %, high risk ${results.replayed.highRiskPercent} %, ${results.replayed.platformsPerCase} platforms a case); ${results.replayed.requestsSent} platform requests sent; ${results.replayed.apiCalls} API calls (${results.replayed.apiCallsFailed} refused); ${results.replayed.sweeps} minute sweeps.`,
    `- Officers per step: ${Object.entries(results.replayed.officerBehaviourPerStep).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `- **Escalation latency**: ${e.escalations} escalations, ${e.withinNextSweepMinute} (${e.withinNextSweepMinutePercent} %) within the next sweep minute (${e.ofWhichCatchUp} of them a level caught up on a step born overdue, timed from the previous level)` +
      (e.latencySeconds ? ` (p50 ${e.latencySeconds.p50} s, p99 ${e.latencySeconds.p99} s, max ${e.latencySeconds.max} s)` : '') +
      `; ${e.missedAtTheirDueSweep} missed at their due sweep; **${e.neverEscalated} never escalated**; ${e.repeatAlerts} repeat alerts beyond the chain; ${e.overdueWithFirstAlertAfterTheEnd} overdue steps whose first alert falls after the end.`,
    `- Pending at the top of their chain with no further alert: ${e.pendingAtTheTopOfTheirChainWithNoFurtherAlert.map((row) => `${row.count} (top role ${row.role})`).join(', ') || 'none'}.`,
    `- **Steps per case**: mean ${results.stepsPerCase.mean}, p50 ${results.stepsPerCase.p50}, p90 ${results.stepsPerCase.p90}, max ${results.stepsPerCase.max}; by platforms: ${Object.entries(results.stepsPerCase.meanByPlatformCount).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ];
  const due = results.dueAtTheBusiestMinute;
  if (due) {
    lines.push(
      `- **Due lists at the busiest minute** (${due.at}, ${due.overdueStepsUnitWide} overdue steps unit-wide): a station's list at most ${due.stationLists.largest} steps (median ${due.stationLists.median}), the district's ${due.districtList.listed} (${due.districtList.overdue} overdue), the unit's ${due.unitList.listed} (${due.unitList.overdue} overdue).`,
    );
  }
  lines.push(
    `- **SOP metrics against the replay's own record**: ${results.metrics.mismatches} mismatches${results.metrics.plannedFiguresNotServedYet.length ? `; planned figures not served yet: ${results.metrics.plannedFiguresNotServedYet.join(', ')}` : ''}.`,
    `- **Checklists against the case's facts**: ${results.checklist.casesMatching} of ${results.checklist.cases} cases match.`,
    `- Safety screen endpoint: ${results.findings.safetyScreenEndpoint}. Real actions that left their step pending (ticked by hand after): ${Object.entries(results.findings.realActionsThatLeftTheirStepPending).map(([k, v]) => `${k} ${v.count}`).join(', ') || 'none'}.`,
    '',
    '## Checklist mismatches by rule',
    '',
    '| rule | cases | mismatches | example |',
    '| --- | ---: | ---: | --- |',
    ...results.checklist.rules.map((rule) => `| ${rule.rule} | ${rule.casesMismatched} | ${rule.mismatches} | ${rule.examples[0]?.replace(/\|/g, '\\|') ?? ''} |`),
    '',
    '## Metric mismatches',
    '',
    ...(results.metrics.everyMismatch.length === 0
      ? ['None.']
      : ['| where | field | API | replay |', '| --- | --- | --- | --- |', ...results.metrics.everyMismatch.map((m) => `| ${m.where} | ${m.field} | ${JSON.stringify(m.api)} | ${JSON.stringify(m.truth)} |`)]),
    '',
  );
  return lines.join('\n');
}
