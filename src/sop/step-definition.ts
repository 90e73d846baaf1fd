import { z } from '@hono/zod-openapi';
import { roles } from '../auth/roles.js';

import { COMPLETING_ACTS, REQUEST_KINDS, STEP_KINDS, STEP_OUTCOMES, TRIGGER_EVENTS, type ConditionKey } from './vocabulary.js';

export { REQUEST_KINDS, STEP_KINDS, TRIGGER_EVENTS };

const stepKey = z.string().max(64).regex(/^[a-z][a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes, e.g. preserve-evidence');
const languageText = z
  .object({ en: z.string().trim().min(1).max(4000) })
  .catchall(z.string().trim().min(1).max(4000))
  .refine((text) => Object.keys(text).every((language) => /^[a-z]{2,3}$/.test(language)), 'keys are language codes such as en, mr, hi')
  .openapi({ example: { en: 'Preserve the evidence', mr: 'पुरावा जतन करा' } });

const roleName = z.string().max(64).openapi({ example: 'station_house_officer' });

const conditionFields = {
  victimIsMinor: z.boolean().optional(),
  moneyPaid: z.boolean().optional(),
  imagesCirculated: z.boolean().optional(),
  platformInvolved: z.boolean().optional(),
  platforms: z.array(z.string().max(60)).max(30).optional().openapi({ description: 'Applies when any of these platforms is involved (per platform: to these platforms).' }),
  riskToLife: z.boolean().optional().openapi({ description: 'The victim-safety screen found a high risk (of self-harm or to life).' }),
  firRegistered: z.boolean().optional().openapi({ description: 'The case has an FIR (a reference of kind fir, or the fir_registered status).' }),
} satisfies Record<ConditionKey, z.ZodType>;
const conditionsSchema = z.object(conditionFields).strict();

const escalationSchema = z
  .array(z.object({ role: roleName, afterMinutes: z.number().int().min(0).max(525_600) }).strict())
  .max(6)
  .openapi({ description: 'Who hears of it when the step is overdue, and how long after the deadline each level is told.' });

/** The fields of a step, without defaults: an overlay names only what it changes. */
const stepShape = {
  key: stepKey,
  title: languageText,
  instructions: languageText,
  ownerRole: roleName,
  trigger: z.discriminatedUnion('event', [
    z.object({ event: z.enum(TRIGGER_EVENTS).exclude(['step_completed']) }).strict(),
    z
      .object({
        event: z.literal('step_completed'),
        step: stepKey,
        releasedBy: z
          .array(z.enum(STEP_OUTCOMES))
          .min(1)
          .max(3)
          .optional()
          .openapi({ description: "Which outcomes of that step start this one: by default only done; add skipped and not_applicable when the work goes on without it." }),
      })
      .strict(),
  ]),
  forEachPlatform: z
    .boolean()
    .optional()
    .openapi({ description: 'Taken once per platform involved in the case (key <step>.<platform>); a platform added later adds its step.' }),
  completedBy: z
    .array(z.enum(COMPLETING_ACTS))
    .min(1)
    .max(COMPLETING_ACTS.length)
    .optional()
    .openapi({ description: 'Acts recorded on the case that complete the step by themselves, in the same transaction.' }),
  deadline: z.union([
    z.object({ minutes: z.number().int().min(0).max(525_600) }).strict(),
    z.object({ provision: z.string().max(80) }).strict().openapi({ description: 'The time limit of this legal provision, as in force when the clock starts.' }),
  ]),
  kind: z.enum(STEP_KINDS),
  conditions: conditionsSchema,
  dependsOn: z.array(stepKey).max(30),
  escalation: escalationSchema,
  escalationRepeatMinutes: z
    .number()
    .int()
    .min(5)
    .max(10_080)
    .optional()
    .openapi({ description: 'Once the last level of the chain is told, it is told again at this interval until someone acts on the step.' }),
  legalRefs: z.array(z.string().max(80)).max(30),
  requestKind: z.enum(REQUEST_KINDS).optional().openapi({ description: 'Sending a platform request of this kind on the case completes the step.' }),
};

export const stepSchema = z
  .object({
    ...stepShape,
    conditions: conditionsSchema.default({}),
    dependsOn: stepShape.dependsOn.default([]),
    escalation: escalationSchema.default([]),
    legalRefs: stepShape.legalRefs.default([]),
  })
  .strict()
  .openapi('SopStep');

export type SopStep = z.infer<typeof stepSchema>;

/** An overlay names steps to add (complete) or change (the fields it names replace the base's), and steps to retire. */
export const overlayStepSchema = z.object(stepShape).partial().required({ key: true }).strict().openapi('SopStepChange');

export const baseBodySchema = z.object({ steps: z.array(stepSchema).min(1).max(200) }).strict();
export const unitBodySchema = z.object({ steps: z.array(overlayStepSchema).max(200).default([]), retire: z.array(stepKey).max(200).default([]) }).strict();
export const stationBodySchema = z.object({ steps: z.array(stepSchema).max(100) }).strict();

export type SopLayer = 'base' | 'unit' | 'station';

export const bodySchemaOf = { base: baseBodySchema, unit: unitBodySchema, station: stationBodySchema } as const;

/** Roles a step may be owned by or escalate to: the people who work cases, not machines or the platform. */
export const STEP_ROLES = roles.filter((role) => role !== 'platform_admin' && role !== 'integration_client' && role !== 'auditor');
