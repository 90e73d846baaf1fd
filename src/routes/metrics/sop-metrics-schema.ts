import { z } from '@hono/zod-openapi';
import type { Milestone, PlatformMetricsRow, RequestFigures, StationMetricsRow, StepFigures } from '../../db/queries/sop-metrics.js';
import { timestampSchema } from '../../http/schemas.js';

const minutes = z.number().nullable();
const share = z.number().min(0).max(1).nullable();

const stepsSchema = z
  .object({
    done: z.number().int(),
    doneOnTime: z.number().int().openapi({ description: 'Done steps closed by their deadline (closedAt <= dueAt).' }),
    onTimeShare: share.openapi({ description: 'doneOnTime / done; null when no step was done.' }),
    openOverdue: z.number().int().openapi({ description: 'Pending steps past their deadline, as of now.' }),
  })
  .openapi('SopStepFigures');

export const milestoneSchema = z
  .object({
    cases: z.number().int().openapi({ description: 'Cases that reached it.' }),
    medianMinutes: minutes,
    p90Minutes: minutes,
  })
  .openapi('SopMilestone', { description: 'Minutes from the report, over the cases that reached it; done before the report counts as 0.' });

const requestFigures = {
  cases: z.number().int(),
  casesWithRequestSent: z.number().int(),
  medianMinutesToFirstRequestSent: minutes.openapi({ description: 'From the report to the first platform request sent, over the cases with one.' }),
  p90MinutesToFirstRequestSent: minutes,
  steps: stepsSchema,
  requestsAnswered: z.number().int().openapi({ description: 'Sent requests the platform has answered (acknowledged, actioned or refused).' }),
  medianTurnaroundMinutes: minutes.openapi({ description: 'From sending to the platform\'s first answer (respondedAt), over the answered requests.' }),
  p90TurnaroundMinutes: minutes,
};

const caseFigures = {
  ...requestFigures,
  firstEvidence: milestoneSchema.openapi({ description: 'To the earliest capture time (capturedAt) of the case\'s evidence items.' }),
  report1930: milestoneSchema.openapi({
    description:
      'To the 1930 helpline report: the earlier of the first helpline_ticket reference (its issuedAt, or when it was recorded if none ' +
      'was given) and the closing of the report-1930 step as done.',
  }),
  fir: milestoneSchema.openapi({ description: 'To the first fir reference (its issuedAt, or when it was recorded if none was given).' }),
  firShare: share.openapi({ description: 'fir.cases / cases: the share of complaints that led to an FIR; null with no cases.' }),
};

export const sopMetricsSchema = z
  .object({
    unitCode: z.string(),
    districtCode: z.string().nullable().openapi({ description: 'The district the figures cover; null for the whole unit.' }),
    from: timestampSchema,
    to: timestampSchema,
    total: z.object(caseFigures).openapi('SopFigures'),
    stations: z.array(z.object({ stationCode: z.string(), ...caseFigures }).openapi('StationSopFigures')),
    platforms: z.array(
      z
        .object({
          platformKey: z.string(),
          name: z.string().nullable(),
          ...requestFigures,
          cases: z.number().int().openapi({ description: 'Cases it was involved in: named among the case\'s platforms, or sent a request.' }),
          casesWithRequestSent: z.number().int().openapi({ description: 'Of those, the cases with a request sent to it.' }),
          casesNeverContacted: z.number().int().openapi({ description: 'Of those, the cases with no request sent to it (none, or drafts only).' }),
          requests: z.number().int(),
          requestsSent: z.number().int(),
          medianMinutesToFirstRequestSent: minutes.openapi({ description: 'From the report to the first request sent to this platform.' }),
          steps: stepsSchema.openapi({ description: 'The steps taken for this platform (a takedown or preservation per platform), not the case\'s others.' }),
          deadlinesMissed: z.number().int().openapi({ description: 'Requests to it whose platform deadline (respondBy) passed unanswered.' }),
        })
        .openapi('PlatformSopFigures'),
    ),
  })
  .openapi('SopMetrics');

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function stepsOf(row: StepFigures): z.infer<typeof stepsSchema> {
  return { done: row.stepsDone, doneOnTime: row.stepsDoneOnTime, onTimeShare: ratio(row.stepsDoneOnTime, row.stepsDone), openOverdue: row.openOverdueSteps };
}

function requestFiguresOf(row: RequestFigures) {
  return {
    cases: row.cases,
    casesWithRequestSent: row.casesWithRequestSent,
    medianMinutesToFirstRequestSent: row.medianMinutesToFirstRequestSent,
    p90MinutesToFirstRequestSent: row.p90MinutesToFirstRequestSent,
    steps: stepsOf(row),
    requestsAnswered: row.requestsAnswered,
    medianTurnaroundMinutes: row.medianTurnaroundMinutes,
    p90TurnaroundMinutes: row.p90TurnaroundMinutes,
  };
}

const milestoneOf = (milestone: Milestone) => ({ cases: milestone.cases, medianMinutes: milestone.medianMinutes, p90Minutes: milestone.p90Minutes });

export function caseFiguresOf(row: StationMetricsRow) {
  return {
    ...requestFiguresOf(row),
    firstEvidence: milestoneOf(row.firstEvidence),
    report1930: milestoneOf(row.report1930),
    fir: milestoneOf(row.fir),
    firShare: ratio(row.fir.cases, row.cases),
  };
}

export function platformFiguresOf(row: PlatformMetricsRow) {
  return {
    platformKey: row.platformKey,
    name: row.name,
    ...requestFiguresOf(row),
    casesNeverContacted: row.cases - row.casesWithRequestSent,
    requests: row.requests,
    requestsSent: row.requestsSent,
    deadlinesMissed: row.deadlinesMissed,
  };
}
