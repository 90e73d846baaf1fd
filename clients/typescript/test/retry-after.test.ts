import { afterEach, describe, expect, it } from 'vitest';
import { createSopClient, retryAfterSeconds } from '../src/index.js';
import { problem, startStandIn } from './stand-in.js';

let standIn: Awaited<ReturnType<typeof startStandIn>> | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const intake = { complainant: { name: 'A', phone: '9812345610', relationToVictim: 'self' as const }, victim: { age: 20 }, incident: { firstContactAt: '2026-01-01T00:00:00Z', platforms: ['instagram'], channels: ['chat' as const], imagesCirculated: false } };

function clientWithWaits(url: string, retry: { maxRetries?: number; maxDelaySeconds?: number } = {}) {
  const waits: number[] = [];
  const client = createSopClient({ baseUrl: url, accessToken: 'a-token', retry: { ...retry, now: () => Date.parse('2026-12-03T08:00:00Z'), sleep: async (ms) => void waits.push(ms) } });
  return { client, waits };
}

describe('Retry-After', () => {
  it('sends a create refused with 503 again after the seconds named, with the same Idempotency-Key and body', async () => {
    standIn = await startStandIn((_, index) => (index === 0 ? { status: 503, headers: { 'Retry-After': '2' }, body: problem(503, 'database_timeout') } : { status: 201, body: { id: 'case-1' } }));
    const { client, waits } = clientWithWaits(standIn.url);
    const { data, response } = await client.POST('/v1/cases', { body: intake });
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ id: 'case-1' });
    expect(waits).toEqual([2_000]);
    const [first, second] = standIn.received;
    expect(first!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);
    expect(second!.body).toBe(first!.body);
    expect(second!.headers.authorization).toBe('Bearer a-token');
  });

  it('reads an HTTP date on a 429, and gives the last answer back after the bounded number of retries', async () => {
    standIn = await startStandIn(() => ({ status: 429, headers: { 'Retry-After': 'Thu, 03 Dec 2026 08:00:05 GMT' }, body: problem(429, 'quota_exceeded') }));
    const { client, waits } = clientWithWaits(standIn.url, { maxRetries: 3 });
    const { error, response } = await client.GET('/v1/cases', {});
    expect(response.status).toBe(429);
    expect(error).toMatchObject({ code: 'quota_exceeded' });
    expect(standIn.received).toHaveLength(4);
    expect(waits).toEqual([5_000, 5_000, 5_000]);
  });

  it('does not wait longer than maxDelaySeconds: the 429 goes back to the caller at once', async () => {
    standIn = await startStandIn(() => ({ status: 429, headers: { 'Retry-After': '900' }, body: problem(429, 'too_many_failed_attempts') }));
    const { client, waits } = clientWithWaits(standIn.url, { maxDelaySeconds: 30 });
    const { response } = await client.GET('/v1/cases', {});
    expect(response.status).toBe(429);
    expect(standIn.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not repeat a 503 of a call that could do its work twice (onboarding a unit takes no Idempotency-Key)', async () => {
    standIn = await startStandIn(() => ({ status: 503, headers: { 'Retry-After': '1' }, body: problem(503, 'dependency_unavailable') }));
    const { client } = clientWithWaits(standIn.url);
    const { response } = await client.POST('/v1/units', { body: { code: 'GA', name: 'Goa Police Cyber Crime Cell' } });
    expect(response.status).toBe(503);
    expect(standIn.received).toHaveLength(1);
    expect(standIn.received[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('does not repeat other failures', async () => {
    standIn = await startStandIn(() => ({ status: 409, body: problem(409, 'illegal_transition') }));
    const { client, waits } = clientWithWaits(standIn.url);
    const { response } = await client.POST('/v1/cases/{caseId}/transitions', { params: { path: { caseId: 'c' } }, body: { to: 'triaged' } });
    expect(response.status).toBe(409);
    expect(standIn.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-12-03T08:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Thu, 03 Dec 2026 08:01:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('Thu, 03 Dec 2026 07:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});
