import type { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Schema } from 'hono';
import type { AppEnv } from '../../src/app-env.js';

type Endpoint<S extends Schema> = { [Path in keyof S]: S[Path][keyof S[Path]] }[keyof S];

/** What a single-operation router declares it answers with `Status`, as the route's types see it. */
export type ResponseBody<Router, Status extends number> =
  Router extends OpenAPIHono<AppEnv, infer S, string> ? Extract<Endpoint<S>, { status: Status }> extends { output: infer Output } ? Output : never : never;

interface DeclaredResponse {
  content?: Record<string, { schema?: unknown }>;
}

/**
 * Parses a 2xx body with the zod schema the operation itself declares (read from the route
 * definition the router registered), so a test checks the contract the OpenAPI document publishes.
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
  const declared = (routes[0]!.responses as Record<string, DeclaredResponse>)[String(status)];
  const schema = declared?.content?.['application/json']?.schema as z.ZodType | undefined;
  if (!schema) throw new Error(`${routes[0]!.method} ${routes[0]!.path} declares no JSON body for ${status}`);
  return schema.parse(JSON.parse(text)) as ResponseBody<Router, Status>;
}
