/**
 * The response headers the app's middleware and error handler send, declared once in the
 * contract (components.headers) and added to each operation's responses by what sends them:
 * X-Request-Id on every response (app.ts), Access-Control-Allow-Origin on any to an allowed
 * origin (app.ts's cors), Retry-After on every 429 and 503 problem
 * (quotas.ts, failed-attempts.ts, error-handler.ts), the quota headers on every answer to a
 * counted request (require-auth.ts, issue-token.ts) and the 405 with Allow the app gives a
 * known path asked with another method. What a single operation sends (ETag, Location) its
 * route declares itself.
 */

type Document = {
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};
type Operation = { security?: unknown[]; responses: Record<string, Response> };
type Response = { $ref?: string; description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> };

const seconds = { type: 'integer', format: 'int64', minimum: 0 } as const;
const structuredList = { type: 'string', maxLength: 200 } as const;

export const sharedHeaders = {
  'X-Request-Id': {
    description: 'The id the API gave this request (a client cannot choose it): the `requestId` of a problem and of the audit trail, and the key to the logs.',
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: seconds },
  'RateLimit-Policy': {
    description: 'The quotas this request counted against, e.g. `"client";q=600;w=60, "unit";q=6000;w=60` (requests per window of w seconds).',
    schema: structuredList,
  },
  RateLimit: {
    description:
      'What is left of each quota, e.g. `"unit";r=0;t=60`: r requests within t seconds. Sent only for quotas whose remaining count is known ' +
      '(on Workers: once a quota is used up).',
    schema: structuredList,
  },
  ETag: {
    description: 'The version of the object, e.g. `"v3"`: send it back as If-Match to change the object only if nobody else has since.',
    schema: { type: 'string', maxLength: 24 },
  },
  'Access-Control-Allow-Origin': {
    description: 'Sent when the request\'s Origin is one of the deployment\'s CORS_ALLOWED_ORIGINS (a browser front end); absent otherwise.',
    schema: { type: 'string', format: 'uri', maxLength: 200 },
  },
  Allow: { description: 'The methods this path serves, e.g. `GET, HEAD, PATCH`.', schema: { type: 'string', maxLength: 100 } },
} as const;

type SharedHeader = keyof typeof sharedHeaders;
const refTo = (name: SharedHeader) => ({ $ref: `#/components/headers/${name}` });
const quotaHeaders: SharedHeader[] = ['RateLimit-Policy', 'RateLimit'];

/** For a route's 2xx that carries the object's version; spread into the response: `{ description, headers: etagHeaders, content }`. */
export const etagHeaders = { ETag: refTo('ETag') } as const;

/** For a 201 that says where the new object lives. */
export const locationHeader = {
  Location: { description: 'The path of the object just made, e.g. `/v1/cases/{caseId}`.', schema: { type: 'string', format: 'uri-reference', maxLength: 200 } },
} as const;

export const methodNotAllowedResponse = {
  description: 'The path is served, but not with this method (`method_not_allowed`); Allow lists the methods it serves.',
  headers: { Allow: refTo('Allow') },
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

/**
 * A request is counted against quotas once its caller is known, so every answer but a 401 carries
 * the quota headers: an operation that needs credentials, or one that declares them itself (the
 * token endpoint, which counts a client once its secret is checked).
 */
function isCounted(operation: Operation): boolean {
  const declaresQuotas = Object.values(operation.responses).some((response) => response.headers && 'RateLimit-Policy' in response.headers);
  return (operation.security?.length ?? 1) > 0 || declaresQuotas;
}

function isProblem(response: Response): boolean {
  return response.content !== undefined && 'application/problem+json' in response.content;
}

function headersFor(status: string, response: Response, counted: boolean): SharedHeader[] {
  const names: SharedHeader[] = [];
  if (counted && /^[24]/.test(status) && status !== '401') names.push(...quotaHeaders);
  if ((status === '429' || status === '503') && isProblem(response)) names.push('Retry-After');
  names.push('X-Request-Id', 'Access-Control-Allow-Origin');
  return names;
}

function withHeaders(response: Response, names: SharedHeader[]): Response {
  if (response.$ref) return response;
  const headers: Record<string, unknown> = { ...response.headers };
  for (const name of names) headers[name] = refTo(name);
  return { ...response, headers };
}

export function withDeclaredHeaders<T extends object>(generated: T): T {
  const document = generated as unknown as Document;
  const components = document.components ?? {};
  const responses = Object.fromEntries(
    Object.entries({ ...(components.responses as Record<string, Response>), MethodNotAllowed: methodNotAllowedResponse }).map(([name, response]) => [
      name,
      withHeaders(response, [...(name === 'QuotaExceeded' ? [...quotaHeaders, 'Retry-After' as const] : []), 'X-Request-Id', 'Access-Control-Allow-Origin']),
    ]),
  );
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => {
          const counted = isCounted(operation);
          const declared: Record<string, Response> = {
            ...operation.responses,
            405: { $ref: '#/components/responses/MethodNotAllowed' },
            ...(counted && !operation.responses['429'] ? { 429: { $ref: '#/components/responses/QuotaExceeded' } } : {}),
          };
          const withShared = Object.fromEntries(
            Object.entries(declared)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([status, response]) => [status, withHeaders(response, headersFor(status, response, counted))]),
          );
          return [method, { ...operation, responses: withShared }];
        }),
      ),
    ]),
  );
  return { ...generated, paths, components: { ...components, headers: { ...components.headers, ...sharedHeaders }, responses } };
}
