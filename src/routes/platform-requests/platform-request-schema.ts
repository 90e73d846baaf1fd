import { z } from '@hono/zod-openapi';
import type { PlatformRequestRow } from '../../db/queries/platform-requests.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { allowedRequestTransitions, REQUEST_KINDS, REQUEST_STATUSES, REQUEST_TARGETS } from '../../requests/request-workflow.js';
import { caseIdParam } from '../cases/case-schema.js';

export const requestPathSchema = z.object({
  caseId: caseIdParam,
  requestId: z.uuid().openapi({ param: { name: 'requestId', in: 'path' }, example: '01937a4e-9b2c-7d4e-8f10-1a2b3c4d5e6f' }),
});

const transitionSchema = z
  .object({
    status: z.enum(REQUEST_STATUSES),
    at: timestampSchema,
    by: z.string().openapi({ description: 'The officer (token subject) who made the move.' }),
    note: z.string().optional(),
    externalReference: z.string().optional(),
  })
  .openapi('PlatformRequestTransition');

export const platformRequestSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    platformKey: z.string().openapi({ example: 'instagram' }),
    kind: z.enum(REQUEST_KINDS),
    status: z.enum(REQUEST_STATUSES),
    allowedTransitions: z.array(z.enum(REQUEST_TARGETS)).openapi({ description: 'Where it may move next (the caller may still lack the permission).' }),
    sopStepKey: z.string().nullable().openapi({ description: 'The SOP step it answers, when named; else sending completes the case\'s pending step for its kind.' }),
    letter: z.string().openapi({ description: 'The letter as drafted from the unit\'s template (else the shipped one) and the case\'s facts; never changed afterwards.' }),
    legalSections: z.array(z.string()),
    transitions: z.array(transitionSchema).openapi({ description: 'Every status it has had, oldest first, with when and by whom.' }),
    approvedBy: z.string().nullable(),
    sentAt: timestampSchema.nullable(),
    respondedAt: timestampSchema.nullable().openapi({ description: 'The platform\'s first answer (acknowledged, actioned or refused).' }),
    externalReference: z.string().nullable().openapi({ description: 'The platform\'s or portal\'s own reference, once known.' }),
    preservationUntil: timestampSchema.nullable().openapi({ description: 'For a sent preservation request: when the platform\'s preservation lapses.' }),
    reminderAt: timestampSchema.nullable().openapi({ description: 'When the minute sweep will remind the unit that the preservation is about to lapse.' }),
    respondBy: timestampSchema.nullable().openapi({
      description: "The platform's clock: when its answer is due, set on sending (the statutory time for the kind, or the directory's shorter turnaround).",
    }),
    deadlineMissedAt: timestampSchema.nullable().openapi({ description: 'When the minute sweep found the platform had not answered in time (which raises the platform follow-up step).' }),
    extendsRequestId: z.uuid().nullable().openapi({ description: 'For a preservation extension: the preservation request it extends.' }),
    createdBy: z.string(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    version: z.number().int(),
  })
  .openapi('PlatformRequest');

const optionalTime = (value: string | null) => (value === null ? null : toRfc3339(value));

export function toPlatformRequest(row: PlatformRequestRow): z.infer<typeof platformRequestSchema> {
  return {
    id: row.id,
    caseId: row.caseId,
    platformKey: row.platformKey,
    kind: row.kind,
    status: row.status,
    allowedTransitions: [...allowedRequestTransitions(row.status)],
    sopStepKey: row.sopStepKey,
    letter: row.letter,
    legalSections: row.legalSections,
    transitions: row.transitions.map((transition) => ({ ...transition, at: toRfc3339(transition.at) })),
    approvedBy: row.approvedBy,
    sentAt: optionalTime(row.sentAt),
    respondedAt: optionalTime(row.respondedAt),
    externalReference: row.externalReference,
    preservationUntil: optionalTime(row.preservationUntil),
    reminderAt: optionalTime(row.reminderAt),
    respondBy: optionalTime(row.respondBy),
    deadlineMissedAt: optionalTime(row.deadlineMissedAt),
    extendsRequestId: row.extendsRequestId,
    createdBy: row.createdBy,
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
    version: row.version,
  };
}
