import { STEP_STATUSES } from '../../sop/vocabulary.js';
import { z } from '@hono/zod-openapi';
import type { CaseStepRow } from '../../db/queries/case-steps.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';

/** A step on a case: the SOP step's key, followed by `.<platform>` for a step taken once per platform involved (`other:<name>` included). */
export const CASE_STEP_KEY_PATTERN = /^[a-z][a-z0-9-]{1,63}(\.[^\s/]{1,80})?$/;

export const caseStepKeyParam = z
  .string()
  .max(150)
  .regex(CASE_STEP_KEY_PATTERN, 'a step key, e.g. preserve-evidence, or platform-takedown.instagram for a step taken per platform')
  .openapi({ param: { name: 'stepKey', in: 'path' }, example: 'platform-takedown.instagram' });

export const caseStepSchema = z
  .object({
    key: z.string().openapi({ description: "The step on this case: the SOP step's key, with `.<platform>` for a step taken once per platform.", example: 'platform-takedown.instagram' }),
    definitionKey: z.string().openapi({ description: 'The SOP step it comes from.', example: 'platform-takedown' }),
    platformKey: z.string().nullable().openapi({ description: 'The platform the step is for, when taken once per platform involved.' }),
    title: z.record(z.string(), z.string()),
    instructions: z.record(z.string(), z.string()),
    kind: z.enum(['statutory', 'policy', 'advisory']),
    ownerRole: z.string(),
    status: z.enum(STEP_STATUSES),
    triggeredAt: timestampSchema,
    dueAt: timestampSchema,
    overdue: z.boolean(),
    blockedBy: z.array(z.string()).openapi({ description: 'Steps it depends on that are still pending.' }),
    escalationLevel: z.number().int().openapi({ description: 'How many levels of its chain have been told it is overdue (repeat alerts at the top of the chain count on).' }),
    escalatedRole: z.string().nullable().openapi({ description: 'The role its latest escalation reached.' }),
    completedBy: z.array(z.string()).openapi({ description: 'Acts recorded on the case that complete the step by themselves.' }),
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
    completedBy?: string[];
  };
  const pending = new Set(all.filter((step) => step.status === 'pending').map((step) => step.definitionKey));
  return {
    key: row.stepKey,
    definitionKey: row.definitionKey,
    platformKey: row.platformKey,
    title: definition.title,
    instructions: definition.instructions,
    kind: row.kind as 'policy',
    ownerRole: row.ownerRole,
    status: row.status,
    triggeredAt: toRfc3339(row.triggeredAt),
    dueAt: toRfc3339(row.dueAt),
    overdue: row.status === 'pending' && new Date(row.dueAt) < now,
    blockedBy: row.status === 'pending' ? (definition.dependsOn ?? []).filter((key) => pending.has(key)) : [],
    escalatedRole: row.escalatedRole,
    completedBy: definition.completedBy ?? [],
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
