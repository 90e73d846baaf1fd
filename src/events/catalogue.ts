import { z } from '@hono/zod-openapi';

/**
 * Every integration event the API raises, with the schema of its `data`. Payloads carry ids,
 * codes, step keys and times only: a receiver fetches details with its own token.
 */
const id = z.string().uuid();
const time = z.string().openapi({ format: 'date-time' });
const caseRef = { caseId: id };
const stepRef = { ...caseRef, caseStepId: id, stepKey: z.string().openapi({ example: 'platform-takedown.instagram' }) };
const requestMove = z.object({
  ...caseRef,
  requestId: id,
  platformKey: z.string(),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  respondBy: time.nullable(),
  preservationUntil: time.nullable(),
});

export const eventCatalogue = {
  'case.reported': {
    summary: 'A complaint was registered at a station.',
    data: z.object({ ...caseRef, stationCode: z.string(), status: z.string(), reportedAt: time }),
  },
  'case.transferred': {
    summary: 'The case moved to another station.',
    data: z.object({ ...caseRef, fromStationId: id, toStationId: id, stationCode: z.string() }),
  },
  'case.assigned': {
    summary: 'The case was assigned to an officer (or unassigned: null).',
    data: z.object({ ...caseRef, stationCode: z.string(), officerSubject: z.string().nullable() }),
  },
  'case.status_changed': {
    summary: 'The case moved along its workflow.',
    data: z.object({ ...caseRef, stationCode: z.string(), from: z.string(), to: z.string() }),
  },
  'step.due_soon': {
    summary: 'A pending SOP step is due within the hour.',
    data: z.object({ ...stepRef, ownerRole: z.string(), dueAt: time, districtId: id, stationId: id }),
  },
  'step.overdue': {
    summary: 'A pending SOP step passed its deadline.',
    data: z.object({ ...stepRef, ownerRole: z.string(), dueAt: time, districtId: id, stationId: id }),
  },
  'step.escalated': {
    summary: 'An overdue step moved up its escalation chain (or, at the top, was raised again: repeat).',
    data: z.object({ ...stepRef, level: z.number().int(), role: z.string(), dueAt: time, repeat: z.boolean(), districtId: id, stationId: id }),
  },
  'step.completed': {
    summary: 'A step was closed: done, skipped or not applicable.',
    data: z.object({ ...stepRef, outcome: z.enum(['done', 'skipped', 'not_applicable']), closedAt: time.nullable(), dueAt: time }),
  },
  'checklist.changed': {
    summary: "Steps were added to the case's checklist, retired from it or revived.",
    data: z.object({ ...caseRef, added: z.array(z.string()), retired: z.array(z.string()), revived: z.array(z.string()) }),
  },
  'request.drafted': { summary: 'A request to a platform, bank or telecom was drafted.', data: requestMove },
  'request.approved': { summary: 'A request was approved for sending.', data: requestMove },
  'request.sent': { summary: 'A request was sent.', data: requestMove },
  'request.acknowledged': { summary: 'The platform acknowledged a request.', data: requestMove },
  'request.actioned': { summary: 'The platform acted on a request.', data: requestMove },
  'request.refused': { summary: 'The platform refused a request.', data: requestMove },
  'request.expired': { summary: "A preservation's period ended.", data: requestMove },
  'request.platform_deadline_missed': {
    summary: 'A platform did not answer a sent request within its legal time.',
    data: z.object({ requestId: id, platformKey: z.string(), kind: z.string(), sentAt: time, respondBy: time }),
  },
  'preservation.expiring': {
    summary: 'A preservation is about to lapse: extend it or let it go.',
    data: z.object({
      requestId: id,
      platformKey: z.string(),
      kind: z.string(),
      status: z.string(),
      sentAt: time.nullable(),
      preservationUntil: time,
      externalReference: z.string().nullable(),
    }),
  },
  'delivery.disabled': {
    summary: 'A webhook subscription kept failing (every delivery, for as long as a whole retry schedule) and was disabled. Unit scope only.',
    data: z.object({ subscriptionId: id, consecutiveFailures: z.number().int(), failingSince: time, disabledAt: time, lastError: z.string().nullable() }),
  },
} as const satisfies Record<string, { summary: string; data: z.ZodType }>;

export type EventType = keyof typeof eventCatalogue;
export const EVENT_TYPES = Object.keys(eventCatalogue) as EventType[];

/** The envelope every event is delivered and read in, by push or by pull: one type's (a literal), or any type's. */
export function eventEnvelopeSchema<Type extends z.ZodType, Data extends z.ZodType>(type: Type, data: Data) {
  return z.object({
    id: id.openapi({ description: 'Stable across redeliveries: the webhook-id header carries it too.' }),
    type,
    occurredAt: time,
    caseId: id.nullable(),
    districtId: id.nullable(),
    stationId: id.nullable(),
    data,
  });
}
