import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { CASE_STATUSES } from '../../cases/workflow.js';
import { listCases } from '../../db/queries/case-list.js';
import { pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, invalidField } from '../../http/problem.js';
import { tenancyCode, timestampSchema } from '../../http/schemas.js';
import { normalizeIdentifierKey } from '../../identifiers/normalize-identifier.js';
import { createRouter } from '../router.js';
import { caseListItemSchema, platformField } from './case-schema.js';
import { casePage, decodeCaseCursor } from './case-page.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/cases',
  operationId: 'listCases',
  tags: ['Cases'],
  summary: 'Cases the caller may see, newest first',
  description:
    'A station sees the cases it holds (add `holder=any` for those it held before), a district supervisor the district\'s, the ' +
    'unit all of its. Filters combine. No personal data in lists. Keyset pagination on (reportedAt, id). One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: {
    query: z.object({
      ...pageQuerySchema,
      status: z
        .string()
        .max(500)
        .optional()
        .transform((value, ctx) => {
          if (value === undefined) return undefined;
          const statuses = value.split(',');
          const unknown = statuses.filter((status) => !(CASE_STATUSES as readonly string[]).includes(status));
          if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown status ${unknown.join(', ')}: use ${CASE_STATUSES.join(', ')}` });
          return statuses as (typeof CASE_STATUSES)[number][];
        })
        .openapi({ type: 'string', maxLength: 500, description: 'One status, or several separated by commas.', example: 'reported,triaged' }),
      station: tenancyCode('MH-PUNE-SHIVAJINAGAR').optional().openapi({ description: 'Only cases this station holds.' }),
      district: tenancyCode('MH-PUNE').optional().openapi({ description: 'Only cases held in this district.' }),
      holder: z.enum(['current', 'any']).default('current').openapi({ description: 'For a station or district: `any` adds cases it held before a transfer.' }),
      assignedTo: z.string().max(255).optional().openapi({ description: 'An officer\'s subject, or `me`.' }),
      platform: platformField.optional(),
      minor: z.enum(['true', 'false']).optional().transform((value) => (value === undefined ? undefined : value === 'true')).openapi({ type: 'string', enum: ['true', 'false'] }),
      reportedFrom: timestampSchema.optional().openapi({ description: 'Reported at or after this time.' }),
      reportedBefore: timestampSchema.optional().openapi({ description: 'Reported before this time.' }),
      identifier: z.string().max(2100).optional().openapi({ description: '`<kind>:<value>` as in /v1/identifiers, e.g. `upi:quickcash@ybl`.', example: 'phone:+919812345610' }),
    }),
  },
  responses: {
    200: {
      description: 'A page of cases.',
      content: { 'application/json': { schema: z.object({ data: z.array(caseListItemSchema), pagination: paginationSchema }).openapi('CasePage') } },
    },
    ...authenticatedProblems,
  },
});


export const listCasesRoute = createRouter().openapi(route, async (c) => {
  const query = c.req.valid('query');
  const { tenancy, subject } = c.var.principal;
  const holder =
    query.holder === 'any' ? undefined : tenancy.level === 'station' ? { stationCode: tenancy.stationCode } : tenancy.level === 'district' ? { districtCode: tenancy.districtCode } : undefined;
  const after = query.cursor ? decodeCaseCursor(query.cursor) : undefined;
  const [{ rows }] = await c.var.db.batch((db) => [
    listCases(db, {
      holder,
      stationCode: query.station,
      districtCode: query.district,
      status: query.status,
      assignedTo: query.assignedTo === 'me' ? subject : query.assignedTo,
      platform: query.platform,
      victimIsMinor: query.minor,
      reportedFrom: query.reportedFrom,
      reportedBefore: query.reportedBefore,
      identifier: query.identifier === undefined ? undefined : identifierFilter(query.identifier),
      after,
      limit: query.limit,
    }),
  ]);
  return c.json(casePage(rows, query.limit), 200);
});

function identifierFilter(text: string) {
  const colon = text.indexOf(':');
  const result = colon === -1 ? ({ ok: false, problem: 'write <kind>:<value>, e.g. upi:quickcash@ybl' } as const) : normalizeIdentifierKey(text.slice(0, colon), text.slice(colon + 1));
  if (!result.ok) throw invalidField('/query/identifier', result.problem);
  return { kind: result.value.kind, normalized: result.value.normalized };
}
