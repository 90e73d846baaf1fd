import { z } from '@hono/zod-openapi';

/** RFC 6749 §3.3: scope tokens of printable ASCII without space, quote or backslash, one space between them. */
const scopeToken = '[\\x21\\x23-\\x5B\\x5D-\\x7E]+';
const scopePattern = new RegExp(`^${scopeToken}(?: ${scopeToken})*$`);

export const stationSignInInputSchema = z
  .object({
    clientId: z.string().min(1).max(200).openapi({ description: 'The station app\'s client at the provider.', example: 'sop-station-app' }),
    scope: z.string().max(500).regex(scopePattern, 'scope tokens separated by single spaces, such as "openid profile"').default('openid'),
    resource: z.string().min(1).max(500).nullable().default(null).openapi({
      description: 'The RFC 8707 resource indicator the station app sends, for providers that choose the token\'s audience by it (e.g. the API\'s audience).',
      example: 'sextortion-sop-api',
    }),
  })
  .strict()
  .nullable()
  .openapi('StationSignInInput', {
    description:
      'Offers this provider for the station app\'s sign-in (GET /v1/sign-in): authorization code with PKCE S256, as a public client ' +
      'whose redirect URI is `<API origin>/app/`. Null (the default): not offered.',
  });

export const stationSignInSchema = z
  .object({ clientId: z.string(), scope: z.string(), resource: z.string().nullable() })
  .nullable()
  .openapi('StationSignIn', { description: 'How the station app signs officers in with this provider; null: it is not offered there.' });
