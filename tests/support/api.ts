import { env, exports } from 'cloudflare:workers';
import { createApp } from '../../src/app.js';
import { clockOverrideHeader } from '../../src/http/request-clock.js';
import { testNow } from './clock.js';

export interface ApiRequest {
  method?: string;
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The time the API serves the request at; the tests' clock by default. */
  at?: Date;
}

function requestInit(request: ApiRequest): RequestInit {
  const headers = new Headers(request.headers);
  if (request.token) headers.set('Authorization', `Bearer ${request.token}`);
  if (request.body !== undefined) headers.set('Content-Type', 'application/json');
  if (!headers.has(clockOverrideHeader)) headers.set(clockOverrideHeader, (request.at ?? testNow()).toISOString());
  return { method: request.method ?? 'GET', headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) };
}

/** Calls the Worker as a client would: through its fetch handler, with the test bindings. */
export function api(path: string, request: ApiRequest = {}): Promise<Response> {
  return exports.default.fetch(`http://api.test${path}`, requestInit(request));
}

/** The same API deployed with some bindings changed (e.g. ALLOW_LOOPBACK_JWKS off, as in production). */
export function apiWithBindings(overrides: Record<string, string | undefined>): typeof api {
  const app = createApp();
  const bindings = { ...env, ...overrides };
  return async (path, request = {}) => app.fetch(new Request(`http://api.test${path}`, requestInit(request)), bindings);
}

export async function expectProblem(response: Response, status: number, code: string) {
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== status || body.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${response.status} ${JSON.stringify(body)}`);
  }
  if (!response.headers.get('content-type')?.startsWith('application/problem+json')) {
    throw new Error(`expected application/problem+json, got ${response.headers.get('content-type')}`);
  }
  if (body.requestId !== response.headers.get('x-request-id')) throw new Error('requestId does not match X-Request-Id');
  if (typeof body.type !== 'string' || !URL.canParse(body.type) || new URL(body.type).pathname !== `/problems/${code}`) {
    throw new Error(`expected an absolute type URI ending in /problems/${code}, got ${String(body.type)}`);
  }
  return body as { type: string; title: string; status: number; detail?: string; code: string; requestId: string; instance: string; errors?: Array<{ pointer: string; detail: string }>; [member: string]: unknown };
}
