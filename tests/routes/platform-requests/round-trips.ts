import { env } from 'cloudflare:workers';
import worker from '../../../src/index.js';

const executionContext = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

/**
 * Calls the Worker with a database URL whose traffic the local Neon endpoint counts under a
 * tag of its own, and returns the response with the round trips it took (as tests/round-trips.test.ts does).
 */
export async function withRoundTrips(path: string, token: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const tag = `rt-${crypto.randomUUID()}`;
  const url = new URL(env.DATABASE_URL);
  url.searchParams.set('application_name', tag);
  const headers: Record<string, string> = { ...init.headers, Authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const request = new Request(`http://api.test${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const response = await worker.fetch(request, { ...env, DATABASE_URL: url.toString() }, executionContext);
  const counted = await fetch(`${env.NEON_LOCAL_ENDPOINT}/round-trips?tag=${tag}`);
  return { status: response.status, body: await response.text(), roundTrips: (await counted.json()) as { http: number; webSocket: number } };
}
