import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { platformSopMetrics, stationSopMetrics } from '../../db/queries/sop-metrics.js';
import { authenticatedProblems, invalidField, notFound, notFoundProblem, ProblemError } from '../../http/problem.js';
import { tenancyCode, timestampSchema, toRfc3339, unitPathSchema } from '../../http/schemas.js';
import { findDistrict } from '../../db/queries/tenancy.js';
import { createRouter } from '../router.js';
import { caseFiguresOf, milestoneSchema, platformFiguresOf, sopMetricsSchema } from './sop-metrics-schema.js';
import { callersWith } from '../../http/security.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const LONGEST_WINDOW_DAYS = 366;

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/metrics/sop',
  operationId: 'getSopMetrics',
  tags: ['SOP'],
  summary: 'How the unit, or one of its districts, keeps to the SOP: per station and per platform',
  description:
    'Over the cases reported in [from, to) (default: the 30 days to now; at most 366 days); what happened on them counts whenever ' +
    'it happened. Per station holding the cases (a transferred case counts where it is now), with the unit\'s total: minutes from ' +
    'the report to the first platform request sent, to the first evidence captured, to the 1930 report (the earlier of the first ' +
    'helpline_ticket reference and the report-1930 step done) and to the FIR (the first fir reference), and the share of ' +
    'complaints with an FIR; the share of done steps closed by their deadline and the pending steps past it now; the platform ' +
    'turnaround (sent → first answer). Per platform, over every case it was involved in (named among the case\'s platforms, or sent ' +
    'a request): the cases sent a request and those never contacted, time to the first request to it, its turnaround, its missed ' +
    'deadlines, and only the steps taken for that platform. Minutes to two decimals; medians and 90th percentiles are continuous ' +
    'and taken over what reached the end, null when nothing did. `district` keeps the cases a district holds now: a district supervisor reads their own district ' +
    '(the default for them; another district is a 404), unit-level callers with cases:read (the unit\'s administrators, supervisors and auditors) the unit or any of its districts; ' +
    'a station placement sees only part of a district and is refused. One ' +
    'query per breakdown, one database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: {
    params: unitPathSchema,
    query: z.object({
      from: timestampSchema.optional().openapi({ description: 'Cases reported at or after this time.' }),
      to: timestampSchema.optional().openapi({ description: 'Cases reported before this time; default now.' }),
      district: tenancyCode('MH-PUNE').optional().openapi({ description: 'Only the cases this district holds now (a district supervisor\'s own by default).' }),
    }),
  },
  responses: {
    200: { description: 'The figures.', content: { 'application/json': { schema: sopMetricsSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const router = createRouter();
// Registered ahead of its uses, each with a description of its own: else the first of them would define the component.
router.openAPIRegistry.register('SopMilestone', milestoneSchema);

export const getSopMetricsRoute = router.openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const query = c.req.valid('query');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  if (tenancy.level === 'station') throw new ProblemError('forbidden', 'SOP metrics are read for a unit or a district: a station placement sees only part of them');
  const districtCode = tenancy.level === 'district' ? tenancy.districtCode : (query.district ?? null);
  if (query.district && query.district !== districtCode) throw notFound(`district ${query.district}`);
  const to = query.to ? new Date(query.to) : c.var.now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw invalidField('/query/from', 'from lies before to');
  if (to.getTime() - from.getTime() > LONGEST_WINDOW_DAYS * DAY_MS) throw invalidField('/query/from', `the window is at most ${LONGEST_WINDOW_DAYS} days`);
  const window = { unitCode, districtCode, from: from.toISOString(), to: to.toISOString() };
  const [{ rows: stations }, { rows: platforms }, { rows: districts }] = await c.var.db.batch((db) => [
    stationSopMetrics(db, window),
    platformSopMetrics(db, window),
    findDistrict(db, unitCode, districtCode ?? ''),
  ]);
  if (districtCode && !districts[0]) throw notFound(`district ${districtCode}`);
  const total = stations.find((row) => row.total)!;
  return c.json(
    {
      unitCode,
      districtCode,
      from: toRfc3339(from),
      to: toRfc3339(to),
      total: caseFiguresOf(total),
      stations: stations.filter((row) => !row.total).map((row) => ({ stationCode: row.stationCode!, ...caseFiguresOf(row) })),
      platforms: platforms.map(platformFiguresOf),
    },
    200,
  );
});
