import { clientScopes, type ClientScope, type Permission } from '../auth/permissions.js';
import { signingAlgorithms } from '../auth/signing-algorithms.js';

const clientScopeMeanings: Record<ClientScope, string> = {
  'tenancy:read': 'Read the units, districts and stations in the client\'s reach.',
  'audit:read': 'Read and verify the audit trail.',
  'cases:read': 'Read cases, their evidence, SOP progress and requests.',
  'cases:report': 'Report new cases (intake).',
  'cases:work': 'Work cases: identifiers, payments, references, notes, evidence, SOP steps, requests.',
  'personal:read': 'See complainants\' and victims\' personal details unmasked.',
};

export const bearerAuthScheme = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: `An access token (a JWT) from the configured issuer or the unit's registered identity provider, signed with ${signingAlgorithms.join(', ')}, with \`exp\`, roles and tenancy claims. Verified as RFC8725 (JSON Web Token Best Current Practices) asks: the algorithm must be one of these asymmetric ones (never \`none\` or HMAC), and the issuer, audience, \`exp\`, \`iat\` and \`sub\` are checked.`,
} as const;

export const clientCredentialsScheme = {
  type: 'oauth2',
  description:
    'An integration client\'s token from POST /v1/oauth/token; its scopes decide what it may do. Send it as a bearer token. ' +
    'It is a JWT signed by this API and verified as RFC8725 (JSON Web Token Best Current Practices) asks, like any bearer token; it expires, and a client asks for a new one (this flow has no refresh token).',
  flows: { clientCredentials: { tokenUrl: '/v1/oauth/token', scopes: clientScopeMeanings } },
} as const;

/**
 * Who may call an operation that needs this permission: an officer's bearer token, or an
 * integration client's token holding it as a scope when it is one a client can be granted.
 */
export function callersWith(permission: Permission): Record<string, string[]>[] {
  const grantable = (clientScopes as readonly Permission[]).includes(permission);
  return grantable ? [{ bearerAuth: [] }, { clientCredentials: [permission] }] : [{ bearerAuth: [] }];
}
