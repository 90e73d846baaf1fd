import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listLegalProvisions } from '../../db/queries/legal-provisions.js';
import { authenticatedProblems } from '../../http/problem.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { callersWith } from '../../http/security.js';

const provisionSchema = z
  .object({
    code: z.string().openapi({ example: 'IT-RULES-2021-3-2-B' }),
    act: z.string(),
    title: z.string(),
    timeLimitMinutes: z.number().int().nullable(),
    effectiveFrom: timestampSchema,
    effectiveTo: timestampSchema.nullable(),
    sourceNote: z.string(),
  })
  .openapi('LegalProvision');

const route = createRoute({
  method: 'get',
  path: '/legal-provisions',
  operationId: 'listLegalProvisions',
  tags: ['SOP'],
  summary: 'Legal provisions and statutory time limits, with their effective dates and sources',
  description:
    'Steps cite these and may take their deadline from one; the limit in force when a step\'s clock starts applies, so a change ' +
    'in the law is a new row with its effective date (shipped as a migration), not a code change. `at` shows what was in force then.',
  security: callersWith('tenancy:read'),
  middleware: requirePermission('tenancy:read'),
  request: { query: z.object({ at: timestampSchema.optional().openapi({ description: 'Only the rows in force at this time.' }) }) },
  responses: {
    200: { description: 'The provisions.', content: { 'application/json': { schema: z.object({ data: z.array(provisionSchema) }).openapi('LegalProvisionList') } } },
    ...authenticatedProblems,
  },
});

export const listLegalProvisionsRoute = createRouter().openapi(route, async (c) => {
  const [{ rows }] = await c.var.db.batch((db) => [listLegalProvisions(db, c.req.valid('query').at)]);
  return c.json(
    {
      data: rows.map((row) => ({
        ...row,
        effectiveFrom: toRfc3339(row.effectiveFrom),
        effectiveTo: row.effectiveTo === null ? null : toRfc3339(row.effectiveTo),
      })),
    },
    200,
  );
});
