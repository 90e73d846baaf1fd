import { z } from '@hono/zod-openapi';
import { maxClaimPathLength, parseClaimPath } from '../../auth/claim-path.js';
import { codePlaceholder } from '../../auth/role-map.js';
import { roles, unitGrantableRoles } from '../../auth/roles.js';

export const claimPathSchema = z
  .string()
  .max(maxClaimPathLength)
  .superRefine((path, context) => {
    const parsed = parseClaimPath(path);
    if ('error' in parsed) context.addIssue({ code: 'custom', message: parsed.error });
  })
  .openapi({
    description:
      'Where the claim sits in the token: a name (roles, cognito:groups), a dotted path (realm_access.roles, ' +
      'resource_access.sextortion-sop-api.roles) or, for names that contain dots, a JSON pointer (/resource_access/my.api/roles).',
  });

const codePattern = z
  .string()
  .min(codePlaceholder.length + 1)
  .max(200)
  .refine((pattern) => pattern.split(codePlaceholder).length === 2 && !pattern.includes('*'), `exactly one ${codePlaceholder} and no *`);

export const roleMapSchema = z
  .object({
    roles: z
      .record(z.string().min(1).max(200), z.enum(roles))
      .superRefine((entries, context) => {
        if (Object.keys(entries).length > 200) context.addIssue({ code: 'custom', message: 'at most 200 entries' });
        for (const [value, role] of Object.entries(entries)) {
          if (!(unitGrantableRoles as string[]).includes(role)) {
            context.addIssue({ code: 'custom', path: [value], message: `a unit's identity provider can never grant ${role}` });
          }
        }
      }),
    stationFrom: codePattern.optional(),
    districtFrom: codePattern.optional(),
  })
  .strict()
  .nullable()
  .openapi('IdentityProviderRoleMap', {
    description:
      "How the provider's values become this API's roles. `roles` maps a value of rolesClaim (exact, or with * for any " +
      'characters, e.g. "/stations/*") to a role; values it does not name are ignored, and a token is refused only if ' +
      'nothing maps. platform_admin and integration_client can never be mapped. `stationFrom` / `districtFrom` ' +
      '(e.g. "/stations/{code}") take the code out of the values of stationClaim / districtClaim that fit, ignoring the rest. ' +
      'Without a map (null), values that are roles of this API count and others are ignored. Codes are compared ' +
      'case-insensitively and used upper-case; a token naming several stations is refused.',
    example: { roles: { 'police-io': 'investigating_officer', '/sextortion/duty-*': 'duty_officer' }, stationFrom: '/stations/{code}' },
  });
