import { exports } from 'cloudflare:workers';
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

/** Calls the Worker as a client would: through its fetch handler, with the test bindings. */
export function api(path: string, request: ApiRequest = {}): Promise<Response> {
  const headers = new Headers(request.headers);
  if (request.token) headers.set('Authorization', `Bearer ${request.token}`);
  if (request.body !== undefined) headers.set('Content-Type', 'application/json');
  if (!headers.has(clockOverrideHeader)) headers.set(clockOverrideHeader, (request.at ?? testNow()).toISOString());
  return exports.default.fetch(`http://api.test${path}`, {
    method: request.method ?? 'GET',
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
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
  return body as { type: string; title: string; status: number; detail?: string; code: string; requestId: string; instance: string; errors?: Array<{ pointer: string; detail: string }>; [member: string]: unknown };
}
