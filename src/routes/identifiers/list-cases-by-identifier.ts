import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listCases } from '../../db/queries/case-list.js';
import { pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, invalidField } from '../../http/problem.js';
import { IDENTIFIER_KINDS, normalizeIdentifierKey } from '../../identifiers/normalize-identifier.js';
import { casePage, decodeCaseCursor } from '../cases/case-page.js';
import { caseListItemSchema } from '../cases/case-schema.js';
import { createRouter } from '../router.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/identifiers/{kind}/{value}/cases',
  operationId: 'listCasesByIdentifier',
  tags: ['Cases'],
  summary: 'The caller\'s visible cases that share a suspect identifier',
  description:
    'The value is normalised as on intake (`+91 98123 45610`, `09812345610` and `+919812345610` are one phone), so cases are ' +
    'linked however the identifier was written. Two-part kinds are written `SBIN0001234:12345678901` (bank account), ' +
    '`instagram:ravi.k` (handle) or `facebook:1000123` (account id); URL-encode the value. Newest first; includes cases the ' +
    'caller held before a transfer. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: {
    params: z.object({
      kind: z.enum(IDENTIFIER_KINDS).openapi({ param: { name: 'kind', in: 'path' } }),
      value: z.string().min(1).max(2100).openapi({ param: { name: 'value', in: 'path' }, example: '+919812345610' }),
    }),
    query: z.object(pageQuerySchema),
  },
  responses: {
    200: {
      description: 'A page of cases, and the identifier as normalised.',
      content: {
        'application/json': {
          schema: z
            .object({ identifier: z.object({ kind: z.string(), value: z.string() }), data: z.array(caseListItemSchema), pagination: paginationSchema })
            .openapi('IdentifierCasePage'),
        },
      },
    },
    ...authenticatedProblems,
  },
});

export const listCasesByIdentifierRoute = createRouter().openapi(route, async (c) => {
  const { kind, value } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const normalized = normalizeIdentifierKey(kind, value);
  if (!normalized.ok) throw invalidField('/path/value', normalized.problem);
  const identifier = { kind: normalized.value.kind, normalized: normalized.value.normalized };
  const after = cursor ? decodeCaseCursor(cursor) : undefined;
  const [{ rows }] = await c.var.db.batch((db) => [listCases(db, { identifier, after, limit })]);
  return c.json({ identifier: { kind: identifier.kind, value: identifier.normalized }, ...casePage(rows, limit) }, 200);
});
