import { createRoute, z } from '@hono/zod-openapi';
import migrationJournal from '../../../migrations/meta/_journal.json';
import { readDatabaseHealth } from '../../db/queries/health.js';
import { createTenantRunner } from '../../db/tenant-runner.js';
import { commonProblems } from '../../http/problem.js';
import { createRouter } from '../router.js';

const checkSchema = z.object({ ok: z.boolean(), detail: z.string() });

export const healthSchema = z
  .object({
    status: z.enum(['healthy', 'unhealthy']),
    checks: z.object({
      database: checkSchema,
      migrations: checkSchema.extend({ expected: z.string(), applied: z.string().nullable() }),
      rowLevelSecurity: checkSchema.extend({ role: z.string().nullable() }),
    }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['Operations'],
  summary: 'Is the API able to serve safely?',
  description:
    'Checks that the database answers, that its migrations match this build, and that the role tenant ' +
    'work runs as cannot bypass row-level security. Unhealthy answers 503 with the same body. One database round trip.',
  responses: {
    200: { description: 'Healthy.', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'Unhealthy: see which check failed.', content: { 'application/json': { schema: healthSchema } } },
    500: commonProblems[500],
  },
});

const expectedMigration = String(migrationJournal.entries.at(-1)?.when ?? 0);

export const getHealth = createRouter().openapi(route, async (c) => {
  const runner = createTenantRunner(c.var.config, null);
  let row;
  try {
    [{ rows: [row] }] = await runner.batch((db) => [readDatabaseHealth(db)]);
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : 'unknown failure';
    return c.json(
      {
        status: 'unhealthy' as const,
        checks: {
          database: { ok: false, detail },
          migrations: { ok: false, detail: 'not checked', expected: expectedMigration, applied: null },
          rowLevelSecurity: { ok: false, detail: 'not checked', role: null },
        },
      },
      503,
    );
  }
  const applied = row?.latest_migration ?? null;
  const migrationsOk = applied === expectedMigration;
  const rlsProblems = [
    row?.is_superuser && 'is a superuser',
    row?.bypasses_rls && 'has BYPASSRLS',
    row?.owns_tables && 'owns tables',
    row?.row_security !== 'on' && 'runs with row_security off',
  ].filter(Boolean);
  const checks = {
    database: { ok: true, detail: 'reachable' },
    migrations: {
      ok: migrationsOk,
      detail: migrationsOk ? 'current' : applied === null || applied < expectedMigration ? 'migrations are pending' : 'the database is ahead of this build',
      expected: expectedMigration,
      applied,
    },
    rowLevelSecurity: {
      ok: rlsProblems.length === 0,
      detail: rlsProblems.length === 0 ? 'enforced for the app role' : `the app role ${rlsProblems.join(', ')}`,
      role: row?.role ?? null,
    },
  };
  const healthy = checks.migrations.ok && checks.rowLevelSecurity.ok;
  return c.json({ status: healthy ? ('healthy' as const) : ('unhealthy' as const), checks }, healthy ? 200 : 503);
});
