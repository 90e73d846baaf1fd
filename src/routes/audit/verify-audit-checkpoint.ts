import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission, requireUnitLevel } from '../../auth/require-auth.js';
import { verifiedAuditCheckpoint } from '../../auth/token-issuer.js';
import { auditEventHashAt, verifyAuditChain } from '../../db/queries/audit.js';
import { authenticatedProblems, checkpointProblem, notFound, notFoundProblem, ProblemError } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { callersWith } from '../../http/security.js';
import { createRouter } from '../router.js';
import { auditChainVerdictSchema, toAuditChainVerdict } from './verify-audit-chain.js';

export const auditCheckpointVerdictSchema = z
  .object({
    sequence: z.number().int().openapi({ description: 'The event the checkpoint was signed at.' }),
    hash: z.string().openapi({ description: 'The hash the checkpoint says the chain held there.' }),
    heldByChain: z.boolean().openapi({ description: 'The event with that sequence still carries that hash.' }),
    chain: auditChainVerdictSchema,
    consistent: z.boolean().openapi({ description: 'Both: the trail as it stands still passes through the checkpoint, and its chain is intact.' }),
  })
  .openapi('AuditCheckpointVerdict');

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/audit/checkpoints/verify',
  operationId: 'verifyAuditCheckpoint',
  tags: ['Audit'],
  summary: 'Check a checkpoint kept outside the database against the audit trail as it stands',
  description:
    'For a party that kept a checkpoint of `GET …/audit/checkpoints`: its signature is checked against this API\'s keys, then the trail must still hold its ' +
    'hash at its sequence and the chain must verify. A rewrite of events and head together, which the stored checkpoints could be deleted to hide, ' +
    'shows here as `heldByChain: false`. Changes nothing. Unit administrators and auditors; another unit is 404. One database round trip.',
  security: callersWith('audit:read'),
  middleware: requirePermission('audit:read'),
  request: {
    params: unitPathSchema,
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ checkpoint: z.string().min(1).max(4096).openapi({ description: 'The checkpoint\'s JWS, as listed.' }) }).strict() } },
    },
  },
  responses: {
    200: { description: 'The verdict.', content: { 'application/json': { schema: auditCheckpointVerdictSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...checkpointProblem,
  },
});

export const verifyAuditCheckpointRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  requireUnitLevel(c.var.principal);
  const claims = await verifiedAuditCheckpoint(c.var.config, c.req.valid('json').checkpoint);
  if (!claims || claims.unit !== unitCode) {
    throw new ProblemError('checkpoint_invalid', claims ? `the checkpoint is of unit ${claims.unit}` : 'not an audit checkpoint this API signed', {
      errors: [{ pointer: '/body/checkpoint', detail: claims ? `names unit ${claims.unit}, not ${unitCode}` : 'does not verify as an audit checkpoint of this API' }],
    });
  }
  // The verdict comes from the unit's row: none for a unit the caller cannot see.
  const [held, verdict] = await c.var.db.batch((db) => [auditEventHashAt(db, unitCode, claims.sequence), verifyAuditChain(db, unitCode)]);
  if (!verdict.rows[0]) throw notFound(`unit ${unitCode}`);
  const chain = toAuditChainVerdict(verdict.rows[0]);
  const heldByChain = held.rows[0]?.hash === claims.hash;
  return c.json({ sequence: claims.sequence, hash: claims.hash, heldByChain, chain, consistent: heldByChain && chain.intact }, 200);
});
