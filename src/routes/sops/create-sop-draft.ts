import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { createSopDraft } from '../../db/queries/sop-versions.js';
import { etagOf } from '../../http/etag.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, invalidField, notFound, notFoundProblem, ProblemError } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { stationBodySchema, unitBodySchema } from '../../sop/step-definition.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { sopVersionSchema, toSopVersion } from './sop-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const draftSchema = z.discriminatedUnion('layer', [
  z.object({ layer: z.literal('unit'), title: z.string().trim().min(1).max(200), notes: z.string().max(4000).default(''), body: unitBodySchema }).strict(),
  z
    .object({
      layer: z.literal('station'),
      stationCode: tenancyCode('MH-PUNE-SHIVAJINAGAR').optional().openapi({ description: 'Defaults to the caller\'s station.' }),
      title: z.string().trim().min(1).max(200),
      notes: z.string().max(4000).default(''),
      body: stationBodySchema,
    })
    .strict(),
]);

const route = createRoute({
  method: 'post',
  path: '/sops',
  operationId: 'draftSop',
  tags: ['SOP'],
  summary: 'Draft a unit overlay or a station\'s local additions',
  description:
    'A unit administrator drafts the unit\'s overlay (add, change or retire base steps; e.g. a Marathi title); a station house ' +
    'officer drafts the station\'s local steps. The base SOP ships with the product. Validate, then publish. Audited.',
  security: callersWith('sop:manage'),
  middleware: requirePermission('sop:manage'),
  request: { headers: idempotencyHeaderSchema, body: { required: true, content: { 'application/json': { schema: draftSchema } } } },
  responses: {
    201: { description: 'Drafted.', headers: etagHeaders, content: { 'application/json': { schema: sopVersionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const createSopDraftRoute = createRouter().openapi(route, async (c) => {
  const draft = c.req.valid('json');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.level === 'district') throw new ProblemError('forbidden', 'SOP layers belong to a unit or a station');
  if (draft.layer === 'unit' && tenancy.level !== 'unit') throw new ProblemError('forbidden', 'a unit overlay is drafted at unit level');
  const stationCode = draft.layer === 'station' ? (draft.stationCode ?? (tenancy.level === 'station' ? tenancy.stationCode : undefined)) : null;
  if (stationCode === undefined) throw invalidField('/body/stationCode', 'name the station whose local steps these are');
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: draft });
  const { rows } = await c.var.db.change(idempotency, (db) =>
    createSopDraft(db, actorOf(c, idempotency), { layer: draft.layer, unitCode: tenancy.unitCode, stationCode, title: draft.title, notes: draft.notes, body: draft.body }),
  );
  if (!rows[0]) throw notFound(`station ${stationCode}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toSopVersion(rows[0]), 201);
});
