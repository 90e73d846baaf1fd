import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { call, createFaultTenant, faultIdentity, inParallel, intake, retryUntilMade, startKillingBackends, storedCases, type Answer, type FaultTenant, type Identity } from './support/fault-client.js';
import { startFreezableProxy, type FreezableProxy } from './support/freezable-proxy.js';

const intakes = Number(process.env.FAULTS_INTAKES ?? 300);
const concurrency = 10;

/*
 * The API's database connections are terminated every 200 ms (pg_terminate_backend, as an
 * administrator or Neon restarting compute would) while clients report cases with
 * Idempotency-Keys: on the Neon driver through the local endpoint, and on node-postgres.
 */
describe.each(['neon', 'pg'] as const)('backends terminated during a burst of intakes (%s driver)', (driver) => {
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
    api = await startApiProcess({ serverUrl: throughProxy.toString(), driver, bindings: identity.bindings });
    tenant = await createFaultTenant(ownerUrl);
  });

  afterAll(async () => {
    await api?.stop();
    await proxy?.close();
  });

  it('stays up, answers 2xx or 503, and after retries with the same keys no case is lost, doubled or partial', async () => {
    const officer = await identity.token({ roles: ['duty_officer'], unit: tenant.unitCode, station: tenant.stationCode });
    const keys = Array.from({ length: intakes }, () => crypto.randomUUID());
    const bodies = new Map(keys.map((key) => [key, intake(key)]));
    const report = (key: string) => call(api.url, '/v1/cases', { method: 'POST', token: officer, body: bodies.get(key), headers: { 'Idempotency-Key': key } });

    // Before any fault: the case every intake must make, with all that hangs off it.
    const controlKey = crypto.randomUUID();
    bodies.set(controlKey, intake(controlKey));
    expect((await report(controlKey)).status).toBe(201);

    const killer = startKillingBackends(ownerUrl, api.loginRole);
    // call() answers status 0 instead of throwing, so the killer is always stopped here.
    const during = await inParallel(keys, concurrency, report);
    const { rounds, killed } = await killer.stop();
    const tally = (answers: Answer[]) => JSON.stringify(Object.fromEntries([...new Set(answers.map((answer) => answer.status))].map((status) => [status, answers.filter((answer) => answer.status === status).length])));
    console.log(`${driver}: ${intakes} intakes while ${killed} backends were terminated in ${rounds} rounds: ${tally(during)}`);

    expect(api.exited(), api.output()).toBeUndefined();
    expect(killed).toBeGreaterThan(0);
    const unexpected = during.filter((answer) => answer.status !== 201 && answer.status !== 503);
    expect(unexpected.map((answer) => `${answer.status} ${JSON.stringify(answer.body)}`), tally(during)).toEqual([]);
    for (const answer of during.filter((each) => each.status === 503)) {
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }

    // The client's side of the bargain: retry what got a 503, with the same key and body.
    const answers = await retryUntilMade(new Map(keys.map((key, index) => [key, during[index]!])), report, { concurrency });
    expect(keys.filter((key) => answers.get(key)!.status !== 201).map((key) => JSON.stringify(answers.get(key)))).toEqual([]);

    // Every key once more: the first case again, never a second one.
    const replays = await inParallel(keys, concurrency, report);
    expect(replays.filter((answer, index) => answer.status !== 201 || answer.body.id !== answers.get(keys[index]!)!.body.id)).toEqual([]);

    const cases = await storedCases(ownerUrl, tenant.unitCode);
    const control = cases.find((stored) => stored.narrative.endsWith(controlKey))!;
    expect(control).toMatchObject({ payments: 1 });
    expect(control.identifiers).toBeGreaterThan(0);
    expect(control.steps).toBeGreaterThan(0);
    expect(control.auditEvents).toBeGreaterThan(0);
    const casesOf = (key: string) => cases.filter((stored) => stored.narrative.endsWith(key));
    const outcome = {
      lost: keys.filter((key) => casesOf(key).length === 0),
      duplicated: keys.filter((key) => casesOf(key).length > 1),
      partial: cases.filter((stored) => ['identifiers', 'payments', 'steps', 'auditEvents'].some((count) => stored[count as 'steps'] !== control[count as 'steps'])),
      notAnswered: keys.filter((key) => casesOf(key)[0]?.id !== answers.get(key)!.body.id),
    };
    expect(outcome).toEqual({ lost: [], duplicated: [], partial: [], notAnswered: [] });
    expect(cases).toHaveLength(intakes + 1);

    const auditor = await identity.token({ roles: ['auditor'], unit: tenant.unitCode });
    const verified = await call(api.url, `/v1/units/${tenant.unitCode}/audit/verify`, { token: auditor });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.intact).toBe(true);
    expect((await call(api.url, '/health')).status).toBe(200);
    expect(api.exited(), api.output()).toBeUndefined();
  });
});
