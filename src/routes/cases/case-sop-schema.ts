import { STEP_STATUSES } from '../../sop/vocabulary.js';
import { z } from '@hono/zod-openapi';
import type { CaseStepRow } from '../../db/queries/case-steps.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';

export const caseStepSchema = z
  .object({
    key: z.string(),
    title: z.record(z.string(), z.string()),
    instructions: z.record(z.string(), z.string()),
    kind: z.enum(['statutory', 'policy', 'advisory']),
    ownerRole: z.string(),
    status: z.enum(STEP_STATUSES),
    triggeredAt: timestampSchema,
    dueAt: timestampSchema,
    overdue: z.boolean(),
    blockedBy: z.array(z.string()).openapi({ description: 'Steps it depends on that are still pending.' }),
    escalationLevel: z.number().int().openapi({ description: 'How many levels of its chain have been told it is overdue.' }),
    nextEscalationAt: timestampSchema.nullable(),
    legalRefs: z.array(z.string()),
    requestKind: z.string().nullable(),
    closedAt: timestampSchema.nullable(),
    closedBy: z.string().nullable(),
    reason: z.string().nullable(),
    version: z.number().int(),
  })
  .openapi('CaseStep');

export function toCaseStep(row: CaseStepRow, all: CaseStepRow[], now: Date): z.infer<typeof caseStepSchema> {
  const definition = row.definition as {
    title: Record<string, string>;
    instructions: Record<string, string>;
    dependsOn?: string[];
    legalRefs?: string[];
    requestKind?: string;
  };
  const pending = new Set(all.filter((step) => step.status === 'pending').map((step) => step.stepKey));
  return {
    key: row.stepKey,
    title: definition.title,
    instructions: definition.instructions,
    kind: row.kind as 'policy',
    ownerRole: row.ownerRole,
    status: row.status,
    triggeredAt: toRfc3339(row.triggeredAt),
    dueAt: toRfc3339(row.dueAt),
    overdue: row.status === 'pending' && new Date(row.dueAt) < now,
    blockedBy: row.status === 'pending' ? (definition.dependsOn ?? []).filter((key) => pending.has(key)) : [],
    escalationLevel: row.escalationLevel,
    nextEscalationAt: row.nextEscalationAt === null ? null : toRfc3339(row.nextEscalationAt),
    legalRefs: definition.legalRefs ?? [],
    requestKind: definition.requestKind ?? null,
    closedAt: row.closedAt === null ? null : toRfc3339(row.closedAt),
    closedBy: row.closedBy,
    reason: row.reason,
    version: row.version,
  };
}
