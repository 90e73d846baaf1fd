import type { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Schema } from 'hono';
import { parse } from 'yaml';
import committed from '../../openapi.yaml';
import type { AppEnv } from '../../src/app-env.js';

type Endpoint<S extends Schema> = { [Path in keyof S]: S[Path][keyof S[Path]] }[keyof S];

/** What a single-operation router declares it answers with `Status`, as the route's types see it. */
export type ResponseBody<Router, Status extends number> =
  Router extends OpenAPIHono<AppEnv, infer S, string> ? Extract<Endpoint<S>, { status: Status }> extends { output: infer Output } ? Output : never : never;

interface DeclaredResponse {
  content?: Record<string, { schema?: unknown }>;
}

const contract = parse(committed) as { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>> };

/** The headers whose presence a client may rely on: each one a response carries must be declared for its operation and status. */
const contractHeaders = ['ETag', 'Location', 'Retry-After', 'X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Allow'];

/** Fails when a response carries one of the contract's headers that openapi.yaml does not declare for this answer, or lacks X-Request-Id. */
export function expectDeclaredHeaders(method: string, routePath: string, status: number, response: Response): void {
  const operations = contract.paths[routePath] ?? contract.paths[`/v1${routePath}`];
  const declared = operations?.[method.toLowerCase()]?.responses[String(status)];
  if (!declared) throw new Error(`openapi.yaml declares no ${status} for ${method} ${routePath}`);
  const names = Object.keys(declared.headers ?? {}).map((name) => name.toLowerCase());
  const undeclared = contractHeaders.filter((name) => response.headers.has(name) && !names.includes(name.toLowerCase()));
  if (undeclared.length > 0) throw new Error(`${method} ${routePath} answered ${status} with ${undeclared.join(', ')}, which openapi.yaml does not declare there`);
  if (!response.headers.has('X-Request-Id')) throw new Error(`${method} ${routePath} answered ${status} without X-Request-Id`);
}

/**
 * Parses a 2xx body with the zod schema the operation itself declares (read from the route
 * definition the router registered), so a test checks the contract the OpenAPI document publishes,
 * and checks that the headers it came with are the ones openapi.yaml declares.
 */
export async function parseResponse<Router extends OpenAPIHono<AppEnv, Schema, string>, Status extends number>(
  router: Router,
  status: Status,
  response: Response,
): Promise<ResponseBody<Router, Status>> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status} ${text}`);
  const routes = router.openAPIRegistry.definitions.flatMap((definition) => (definition.type === 'route' ? [definition.route] : []));
  if (routes.length !== 1) throw new Error(`expected a router with one operation, found ${routes.length}`);
  expectDeclaredHeaders(routes[0]!.method, routes[0]!.path, status, response);
  const declared = (routes[0]!.responses as Record<string, DeclaredResponse>)[String(status)];
  const schema = declared?.content?.['application/json']?.schema as z.ZodType | undefined;
  if (!schema) throw new Error(`${routes[0]!.method} ${routes[0]!.path} declares no JSON body for ${status}`);
  return schema.parse(JSON.parse(text)) as ResponseBody<Router, Status>;
}
