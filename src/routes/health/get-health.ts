import { createRoute, z } from '@hono/zod-openapi';
import migrationJournal from '../../../migrations/meta/_journal.json';
import { readDatabaseHealth } from '../../db/queries/health.js';
import { createTenantRunner, requestBound } from '../../db/tenant-runner.js';
import { assessHealth, unreachableReport } from '../../health/assess-health.js';
import { commonProblems } from '../../http/problem.js';
import { createRouter } from '../router.js';

const checkSchema = z.object({ ok: z.boolean(), detail: z.string() });

export const healthSchema = z
  .object({
    status: z.enum(['healthy', 'unhealthy']),
    checks: z.object({
      database: checkSchema,
      migrations: checkSchema.extend({ expected: z.string(), applied: z.string().nullable() }),
      rowLevelSecurity: checkSchema.extend({ role: z.string().nullable(), loginRole: z.string().nullable() }),
    }),
    scheduler: z
      .object({
        lastRunAt: z.string().nullable().openapi({ description: 'When the minute sweep last started a job; null if it never ran on this database.' }),
        jobs: z.array(
          z.object({ job: z.string(), startedAt: z.string(), finishedAt: z.string(), outcome: z.enum(['ok', 'failed']), detail: z.string().nullable() }),
        ),
      })
      .openapi({ description: 'The minute sweep (escalation, reminders, purges): reported, not judged.' }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  security: [],
  tags: ['Operations'],
  summary: 'Is the API able to serve safely?',
  description:
    'Checks that the database answers, that its migrations match this build, and that the role tenant ' +
    'work runs as, and the role the API logs in as, cannot bypass row-level security; reports when the minute sweep last ran. ' +
    'Unhealthy answers 503 with the same body. ' +
    'One database round trip.',
  responses: {
    200: { description: 'Healthy.', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'Unhealthy: see which check failed.', content: { 'application/json': { schema: healthSchema } } },
    500: commonProblems[500],
  },
});

const expectedMigration = String(migrationJournal.entries.at(-1)?.when ?? 0);

export const getHealth = createRouter().openapi(route, async (c) => {
  const runner = createTenantRunner(c.var.config, null, c.var.now, requestBound(c.var.config, 'GET'));
  let report;
  try {
    const [{ rows }] = await runner.batch((db) => [readDatabaseHealth(db)]);
    report = rows[0] ? assessHealth(rows[0], expectedMigration) : unreachableReport('the app role is missing', expectedMigration);
  } catch (error) {
    console.error(JSON.stringify({ requestId: c.var.requestId, path: '/health', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
    report = unreachableReport(`the database did not answer (details are logged under request ${c.var.requestId})`, expectedMigration);
  }
  c.header('Cache-Control', 'no-store');
  return c.json(report, report.status === 'healthy' ? 200 : 503);
});
