import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { call, createFaultTenant, faultIdentity, inParallel, intake, retryUntilMade, storedCases, type Answer, type FaultTenant, type Identity } from './support/fault-client.js';
import { startFreezableProxy, type FreezableProxy } from './support/freezable-proxy.js';

/** Small bounds, so the suite waits little; the slack is generous (two shared cores). */
const readTimeoutMs = 1_000;
const writeTimeoutMs = 2_000;
const slackMs = 2_000;
const recoveryLimitMs = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * The database stops answering: the proxy between the API (and its endpoint) and Postgres
 * stops forwarding, connections stay open and nothing comes back. Every request must end within
 * its bound with a 503, and the API must serve again by itself once the database answers.
 */
describe.each(['neon', 'pg'] as const)('a database that stops answering (%s driver)', (driver) => {
  const ownerUrl = inject('faultsOwnerUrl');
  let proxy: FreezableProxy;
  let api: ApiProcess;
  let identity: Identity;
  let tenant: FaultTenant;

  beforeAll(async () => {
    proxy = await startFreezableProxy({ host: '127.0.0.1', port: Number(new URL(ownerUrl).port || 5432) });
    identity = await faultIdentity();
    const throughProxy = new URL(ownerUrl);
    throughProxy.port = String(proxy.port);
    api = await startApiProcess({
      serverUrl: throughProxy.toString(),
      driver,
      bindings: { ...identity.bindings, DATABASE_READ_TIMEOUT_MS: String(readTimeoutMs), DATABASE_WRITE_TIMEOUT_MS: String(writeTimeoutMs) },
    });
    tenant = await createFaultTenant(ownerUrl);
  });

  afterAll(async () => {
    proxy?.release();
    await api?.stop();
    await proxy?.close();
  });

  it('answers 503 within the bound while it is frozen, and serves again within seconds of its return', async () => {
    const officer = await identity.token({ roles: ['duty_officer'], unit: tenant.unitCode, station: tenant.stationCode });
    // A retry sends the very same body (intake() writes times relative to the clock).
    const bodies = new Map<string, ReturnType<typeof intake>>();
    const report = (key: string) => {
      if (!bodies.has(key)) bodies.set(key, intake(key));
      return call(api.url, '/v1/cases', { method: 'POST', token: officer, body: bodies.get(key), headers: { 'Idempotency-Key': key } });
    };
    expect((await call(api.url, '/health')).status).toBe(200);
    const warmKey = crypto.randomUUID();
    const warm = await report(warmKey);
    expect(warm.status).toBe(201);

    const frozenKeys: string[] = [];
    const requests: Array<{ name: string; bound: number; send: () => Promise<Answer> }> = [
      { name: 'GET /health', bound: readTimeoutMs, send: () => call(api.url, '/health') },
      { name: 'GET /v1/cases', bound: readTimeoutMs, send: () => call(api.url, '/v1/cases', { token: officer }) },
      { name: 'GET /v1/cases/{id}', bound: readTimeoutMs, send: () => call(api.url, `/v1/cases/${String(warm.body.id)}`, { token: officer }) },
      {
        name: 'POST /v1/cases',
        bound: writeTimeoutMs,
        send: () => {
          const key = crypto.randomUUID();
          frozenKeys.push(key);
          return report(key);
        },
      },
    ];

    proxy.freeze();
    try {
      // Two waves: the second meets the connections the first left behind.
      for (let wave = 1; wave <= 2; wave += 1) {
        const sent = requests.flatMap((request) => [request, request, request]);
        const answers = await inParallel(sent, sent.length, async (request) => ({ request, answer: await request.send() }));
        for (const { request, answer } of answers) {
          const what = `wave ${wave}, ${request.name}: ${answer.status} after ${Math.round(answer.elapsedMs)} ms ${JSON.stringify(answer.body)}`;
          expect(answer.status, what).toBe(503);
          expect(answer.elapsedMs, what).toBeLessThan(request.bound + slackMs);
          if (request.name === 'GET /health') {
            expect(answer.body.status, what).toBe('unhealthy');
          } else {
            expect(answer.body.code, what).toBe('database_timeout');
            expect(Number(answer.retryAfter), what).toBeGreaterThan(0);
          }
        }
      }
    } finally {
      proxy.release();
    }

    const released = performance.now();
    let recoveredAfterMs: number | undefined;
    while (recoveredAfterMs === undefined && performance.now() - released < recoveryLimitMs) {
      if ((await call(api.url, '/health')).status === 200) recoveredAfterMs = performance.now() - released;
      else await sleep(200);
    }
    console.log(`${driver}: serving again ${Math.round(recoveredAfterMs ?? -1)} ms after the database returned`);
    expect(recoveredAfterMs, `not healthy within ${recoveryLimitMs} ms of the database's return:\n${api.output()}`).toBeDefined();
    expect((await call(api.url, '/v1/cases', { token: officer })).status).toBe(200);

    // The intakes that timed out: each retried with its key is made exactly once, whether or not the first try committed.
    const retried = await retryUntilMade(new Map(await Promise.all(frozenKeys.map(async (key) => [key, await report(key)] as const))), report, { pauseMs: 500 });
    expect([...retried.values()].filter((answer) => answer.status !== 201).map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`)).toEqual([]);
    const cases = await storedCases(ownerUrl, tenant.unitCode);
    const counts = [warmKey, ...frozenKeys].map((key) => cases.filter((stored) => stored.narrative.endsWith(key)).length);
    expect(counts.every((count) => count === 1), JSON.stringify(counts)).toBe(true);
    expect(cases).toHaveLength(1 + frozenKeys.length);
    expect(api.exited(), api.output()).toBeUndefined();
  });
});
