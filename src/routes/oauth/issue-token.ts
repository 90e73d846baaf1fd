import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { accessTokenLifetimeSeconds, issueClientToken } from '../../auth/token-issuer.js';
import { commonProblems, ProblemError, rateLimitHeaders, tooManyRequests } from '../../http/problem.js';
import { countAgainstQuotas } from '../../http/quotas.js';
import { createRouter } from '../router.js';
import { authenticateClient, invalidClient } from './failed-attempts.js';

/** RFC 6749 §5.2 errors, as problem documents that also carry `error` and `error_description` (401s: invalidClient). */
function oauthError(error: 'invalid_request' | 'unsupported_grant_type' | 'invalid_scope', description: string): ProblemError {
  return new ProblemError(`oauth_${error}`, description, { members: { error, error_description: description } });
}

/** RFC 6749 §4.4.2 takes a form; anything else is an OAuth invalid_request, not a bare 415 a client cannot read. */
const formEncodedOnly = createMiddleware(async (c, next) => {
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(c.req.header('Content-Type') ?? '')) {
    throw oauthError('invalid_request', 'send grant_type and credentials as application/x-www-form-urlencoded');
  }
  await next();
});

const tokenRequestSchema = z
  .object({
    grant_type: z.string().max(64).openapi({ example: 'client_credentials' }),
    client_id: z.string().max(64).optional(),
    client_secret: z.string().max(256).optional(),
    scope: z.string().max(1000).optional().openapi({ description: 'Space-separated; a subset of the client\'s scopes. Default: all of them.' }),
  })
  .openapi('TokenRequest');

const route = createRoute({
  method: 'post',
  path: '/oauth/token',
  operationId: 'issueToken',
  security: [],
  tags: ['Identity'],
  summary: 'Exchange a machine client\'s credentials for an access token',
  description:
    'OAuth 2.0 client credentials (RFC 6749 §4.4). Authenticate with HTTP Basic (client id and secret) or with client_id and ' +
    'client_secret in the form. Tokens last 15 minutes and are signed with the keys at /.well-known/jwks.json. One database round trip. ' +
    'Repeated wrong credentials for one client_id, or from one source address, lock it for a while: every request for it then answers 429 ' +
    '(`too_many_failed_attempts`) until Retry-After has passed, whatever the secret, and the lock is recorded in the client\'s unit\'s audit trail. ' +
    'A token request counts against the client\'s quotas like any other request.',
  middleware: formEncodedOnly,
  request: {
    body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: tokenRequestSchema } } },
  },
  responses: {
    200: {
      description: 'An access token.',
      headers: rateLimitHeaders,
      content: {
        'application/json': {
          schema: z
            .object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string() })
            .openapi('TokenResponse'),
        },
      },
    },
    400: { description: 'invalid_request, unsupported_grant_type or invalid_scope.', content: commonProblems[400].content },
    401: { description: 'invalid_client: unknown client, wrong secret, or disabled.', content: commonProblems[400].content },
    429: tooManyRequests('The client_id or the source address is locked after repeated wrong credentials (`too_many_failed_attempts`), or the client\'s quota is used up (`quota_exceeded`).'),
    500: commonProblems[500],
    503: commonProblems[503],
  },
});

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const encoded = header?.match(/^Basic ([A-Za-z0-9+/=]+)$/i)?.[1];
  if (!encoded) return undefined;
  let decoded: string;
  try {
    decoded = atob(encoded);
  } catch {
    return undefined;
  }
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, separator)), clientSecret: decodeURIComponent(decoded.slice(separator + 1)) };
  } catch {
    return undefined;
  }
}

export const issueTokenRoute = createRouter().openapi(
  route,
  async (c) => {
    const form = c.req.valid('form');
    if (form.grant_type !== 'client_credentials') throw oauthError('unsupported_grant_type', 'only client_credentials is supported');
    const basic = basicCredentials(c.req.header('Authorization'));
    if (basic && (form.client_id || form.client_secret)) throw oauthError('invalid_request', 'authenticate with HTTP Basic or the form, not both');
    const credentials = basic ?? (form.client_id && form.client_secret ? { clientId: form.client_id, clientSecret: form.client_secret } : undefined);
    if (!credentials) throw invalidClient('send the client id and secret with HTTP Basic or in the form');
    const client = await authenticateClient(c, credentials.clientId, credentials.clientSecret);
    const quotaHeaders = await countAgainstQuotas(c, { issuer: c.var.config.TOKEN_ISSUER, subject: credentials.clientId, unitCode: client.unitCode });
    for (const [name, value] of Object.entries(quotaHeaders)) c.header(name, value);

    const requested = form.scope ? [...new Set(form.scope.split(' ').filter(Boolean))] : client.scopes;
    const refused = requested.filter((scope) => !client.scopes.includes(scope));
    if (refused.length > 0) throw oauthError('invalid_scope', `not granted to this client: ${refused.join(' ')}`);

    const accessToken = await issueClientToken(c.var.config, {
      clientId: credentials.clientId,
      roles: client.roles,
      scopes: requested,
      unit: client.unitCode,
      district: client.districtCode ?? undefined,
      station: client.stationCode ?? undefined,
    });
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    return c.json({ access_token: accessToken, token_type: 'Bearer' as const, expires_in: accessTokenLifetimeSeconds, scope: requested.join(' ') }, 200);
  },
  (result) => {
    if (!result.success) throw oauthError('invalid_request', 'send grant_type and credentials as application/x-www-form-urlencoded');
    return undefined;
  },
);
