import { z } from '@hono/zod-openapi';

/** A day: long enough to roll a new secret out (an integrator's client, a webhook receiver); a week at most. */
export const defaultSecretOverlapSeconds = 24 * 60 * 60;

/** The optional body of a secret rotation: how long the replaced secret keeps working. */
export const secretRotationBody = {
  required: false,
  content: {
    'application/json': {
      schema: z.object({ previousSecretValidForSeconds: z.number().int().min(0).max(7 * 24 * 60 * 60).optional() }).strict(),
    },
  },
};
