import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { platformSopMetrics, stationSopMetrics, type StepFigures } from '../../db/queries/sop-metrics.js';
import { authenticatedProblems, invalidField, notFound, notFoundProblem, ProblemError } from '../../http/problem.js';
import { timestampSchema, toRfc3339, unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const LONGEST_WINDOW_DAYS = 366;

const minutes = z.number().nullable();
const stepsSchema = z
  .object({
    done: z.number().int(),
    doneOnTime: z.number().int().openapi({ description: 'Done steps closed by their deadline (closedAt <= dueAt).' }),
    onTimeShare: z.number().min(0).max(1).nullable().openapi({ description: 'doneOnTime / done; null when no step was done.' }),
    openOverdue: z.number().int().openapi({ description: 'Pending steps past their deadline, as of now.' }),
  })
  .openapi('SopStepFigures');
const figures = {
  cases: z.number().int(),
  casesWithRequestSent: z.number().int(),
  medianMinutesToFirstRequestSent: minutes.openapi({ description: 'From the report to the first platform request sent on the case.' }),
  steps: stepsSchema,
  requestsAnswered: z.number().int().openapi({ description: 'Sent requests the platform has acknowledged or acted on.' }),
  medianTurnaroundMinutes: minutes.openapi({ description: 'From sending to the platform\'s first acknowledgement or action.' }),
};

const metricsSchema = z
  .object({
    unitCode: z.string(),
    from: timestampSchema,
    to: timestampSchema,
    total: z.object(figures).openapi('SopFigures'),
    stations: z.array(z.object({ stationCode: z.string(), ...figures }).openapi('StationSopFigures')),
    platforms: z.array(
      z.object({ platformKey: z.string(), name: z.string().nullable(), requests: z.number().int(), requestsSent: z.number().int(), ...figures }).openapi('PlatformSopFigures'),
    ),
  })
  .openapi('SopMetrics');

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/metrics/sop',
  operationId: 'getSopMetrics',
  tags: ['SOP'],
  summary: 'How the unit keeps to the SOP: per station and per platform',
  description:
    'Over the cases reported in [from, to) (default: the 30 days to now; at most 366 days). Per station holding the cases ' +
    '(a transferred case counts where it is now), with the unit\'s total; per platform, over the cases with at least one request ' +
    'to it. Median minutes from the report to the first platform request sent; share of done steps closed by their deadline; ' +
    'pending steps past their deadline now; median platform turnaround (sent → first acknowledgement or action). Unit-level ' +
    'callers with cases:read (the unit\'s administrators and auditors). One query per breakdown, one database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('cases:read'),
  request: {
    params: unitPathSchema,
    query: z.object({
      from: timestampSchema.optional().openapi({ description: 'Cases reported at or after this time.' }),
      to: timestampSchema.optional().openapi({ description: 'Cases reported before this time; default now.' }),
    }),
  },
  responses: {
    200: { description: 'The figures.', content: { 'application/json': { schema: metricsSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

function stepsOf(row: StepFigures): z.infer<typeof stepsSchema> {
  return { done: row.stepsDone, doneOnTime: row.stepsDoneOnTime, onTimeShare: row.stepsDone === 0 ? null : row.stepsDoneOnTime / row.stepsDone, openOverdue: row.openOverdueSteps };
}

function figuresOf(row: StepFigures & { cases: number; casesWithRequestSent: number; medianMinutesToFirstRequestSent: number | null; requestsAnswered: number; medianTurnaroundMinutes: number | null }) {
  return {
    cases: row.cases,
    casesWithRequestSent: row.casesWithRequestSent,
    medianMinutesToFirstRequestSent: row.medianMinutesToFirstRequestSent,
    steps: stepsOf(row),
    requestsAnswered: row.requestsAnswered,
    medianTurnaroundMinutes: row.medianTurnaroundMinutes,
  };
}

export const getSopMetricsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const query = c.req.valid('query');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  if (tenancy.level !== 'unit') throw new ProblemError('forbidden', 'SOP metrics are read at unit level: a district or station placement sees only part of the unit');
  const to = query.to ? new Date(query.to) : c.var.now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw invalidField('/query/from', 'from lies before to');
  if (to.getTime() - from.getTime() > LONGEST_WINDOW_DAYS * DAY_MS) throw invalidField('/query/from', `the window is at most ${LONGEST_WINDOW_DAYS} days`);
  const window = { unitCode, from: from.toISOString(), to: to.toISOString() };
  const [{ rows: stations }, { rows: platforms }] = await c.var.db.batch((db) => [stationSopMetrics(db, window), platformSopMetrics(db, window)]);
  const total = stations.find((row) => row.total)!;
  return c.json(
    {
      unitCode,
      from: toRfc3339(from),
      to: toRfc3339(to),
      total: figuresOf(total),
      stations: stations.filter((row) => !row.total).map((row) => ({ stationCode: row.stationCode!, ...figuresOf(row) })),
      platforms: platforms.map((row) => ({ platformKey: row.platformKey, name: row.name, requests: row.requests, requestsSent: row.requestsSent, ...figuresOf(row) })),
    },
    200,
  );
});
