import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createTenantRunner } from '../src/db/tenant-runner.js';
import worker from '../src/index.js';
import { appConfig } from './support/config.js';
import { createTestTenant } from './support/tenants.js';
import { intake, reportTestCase } from './support/cases.js';
import { tokenFor } from './support/tokens.js';
import { clockOverrideHeader } from '../src/http/request-clock.js';
import { minutesAgo, testNow } from './support/clock.js';

const executionContext = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

/** A database URL whose traffic the local endpoint counts under its own tag. */
function taggedDatabaseUrl(): { tag: string; url: string } {
  const tag = `rt-${crypto.randomUUID()}`;
  const url = new URL(env.DATABASE_URL);
  url.searchParams.set('application_name', tag);
  return { tag, url: url.toString() };
}

async function countedRoundTrips(tag: string): Promise<{ http: number; webSocket: number }> {
  const response = await fetch(`${env.NEON_LOCAL_ENDPOINT}/round-trips?tag=${tag}`);
  return response.json();
}

async function roundTripsOf(path: string, token?: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; status?: number } = {}) {
  const { tag, url } = taggedDatabaseUrl();
  const headers: Record<string, string> = { [clockOverrideHeader]: testNow().toISOString(), ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const request = new Request(`http://api.test${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const response = await worker.fetch(request, { ...env, DATABASE_URL: url }, executionContext);
  expect(response.status, await response.clone().text()).toBe(init.status ?? 200);
  return countedRoundTrips(tag);
}

const onNodePostgres = env.TEST_TRANSPORT === 'node-postgres';

describe.skipIf(onNodePostgres)('database round trips per operation (the README lists these)', () => {
  it('GET /health: one HTTP round trip', async () => {
    expect(await roundTripsOf('/health')).toEqual({ http: 1, webSocket: 0 });
  });

  it('GET /v1/sign-in: one HTTP round trip', async () => {
    expect(await roundTripsOf('/v1/sign-in')).toEqual({ http: 1, webSocket: 0 });
  });

  it('GET /v1/stations: one HTTP round trip', async () => {
    const tenant = await createTestTenant();
    expect(await roundTripsOf('/v1/stations', await tokenFor.unit(tenant.unitCode))).toEqual({ http: 1, webSocket: 0 });
  });

  it('a create with its audit event, and with an Idempotency-Key: one HTTP round trip; its replay: two', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const path = `/v1/units/${tenant.unitCode}/districts`;
    expect(await roundTripsOf(path, token, { method: 'POST', body: { code: `${tenant.unitCode}-RT1`, name: 'One' }, status: 201 })).toEqual({ http: 1, webSocket: 0 });
    const keyed = { method: 'POST', body: { code: `${tenant.unitCode}-RT2`, name: 'Two' }, headers: { 'Idempotency-Key': crypto.randomUUID() }, status: 201 };
    expect(await roundTripsOf(path, token, keyed)).toEqual({ http: 1, webSocket: 0 });
    expect(await roundTripsOf(path, token, keyed)).toEqual({ http: 2, webSocket: 0 });
  });

  it('an update under If-Match: one HTTP round trip; a stale one: two', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const path = `/v1/units/${tenant.unitCode}/districts/${tenant.districtCodes[0]}`;
    expect(await roundTripsOf(path, token, { method: 'PATCH', body: { name: 'Renamed' }, headers: { 'If-Match': '"v1"' } })).toEqual({ http: 1, webSocket: 0 });
    expect(await roundTripsOf(path, token, { method: 'PATCH', body: { name: 'Stale' }, headers: { 'If-Match': '"v1"' }, status: 412 })).toEqual({ http: 2, webSocket: 0 });
  });

  it('the case operations: one HTTP round trip each, intake with its routing and children included', async () => {
    const tenant = await createTestTenant();
    const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    const once = { http: 1, webSocket: 0 };
    expect(await roundTripsOf('/v1/cases', officer, { method: 'POST', body: intake(), headers: { 'Idempotency-Key': crypto.randomUUID() }, status: 201 })).toEqual(once);
    const { id } = await reportTestCase(tenant);
    expect(await roundTripsOf(`/v1/cases/${id}`, officer)).toEqual(once);
    expect(await roundTripsOf('/v1/cases?status=reported&minor=true', officer)).toEqual(once);
    expect(await roundTripsOf('/v1/identifiers/upi/quickcash@ybl/cases', officer)).toEqual(once);
    expect(await roundTripsOf(`/v1/cases/${id}/timeline`, officer)).toEqual(once);
    expect(await roundTripsOf(`/v1/cases/${id}/transitions`, officer, { method: 'POST', body: { to: 'triaged' } })).toEqual(once);
    expect(await roundTripsOf(`/v1/cases/${id}/payments`, officer, { method: 'POST', body: { amount: '100', paidAt: minutesAgo(630), method: 'upi' }, status: 201 })).toEqual(once);
    expect(await roundTripsOf(`/v1/cases/${id}`, officer, { method: 'PATCH', body: { narrative: 'More detail' }, headers: { 'If-Match': '"v3"' } })).toEqual(once);
    expect(await roundTripsOf(`/v1/cases/${id}/transitions`, officer, { method: 'POST', body: { to: 'triaged' }, status: 409 })).toEqual({ http: 2, webSocket: 0 });
  });

  it('POST /v1/oauth/token: one HTTP round trip', async () => {
    const tenant = await createTestTenant();
    const admin = await tokenFor.unit(tenant.unitCode);
    const created = (await (await worker.fetch(
      new Request(`http://api.test/v1/units/${tenant.unitCode}/clients`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Register', scopes: ['tenancy:read'] }),
      }),
      env,
      executionContext,
    )).json()) as { client: { clientId: string }; clientSecret: string };
    const { tag, url } = taggedDatabaseUrl();
    const response = await worker.fetch(
      new Request('http://api.test/v1/oauth/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${btoa(`${created.client.clientId}:${created.clientSecret}`)}` },
        body: 'grant_type=client_credentials',
      }),
      { ...env, DATABASE_URL: url },
      executionContext,
    );
    expect(response.status).toBe(200);
    expect(await countedRoundTrips(tag)).toEqual({ http: 1, webSocket: 0 });
  });

  it('an interactive transaction goes over one WebSocket, statement by statement', async () => {
    const tenant = await createTestTenant();
    const { tag, url } = taggedDatabaseUrl();
    const runner = createTenantRunner(appConfig({ DATABASE_URL: url }), { level: 'unit', unitCode: tenant.unitCode });
    await runner.transaction(async (tx) => tx.execute('select 1'));
    const counted = await countedRoundTrips(tag);
    expect(counted.http).toBe(0);
    // startup, password, BEGIN, role, tenant, the statement, COMMIT
    expect(counted.webSocket).toBeGreaterThanOrEqual(6);
  });
});

/** The node-postgres transport's traffic goes through tests/pg-round-trip-counter.ts, counted under the connection's application_name. */
async function pgRoundTripsOf(path: string, token?: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; status?: number } = {}) {
  const counter = JSON.parse(env.TEST_PG_ROUND_TRIP_COUNTER) as { address: string; counts: string };
  const tag = `rt-${crypto.randomUUID()}`;
  const url = new URL(env.DATABASE_URL);
  url.host = counter.address;
  url.searchParams.set('application_name', tag);
  const headers: Record<string, string> = { [clockOverrideHeader]: testNow().toISOString(), ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const request = new Request(`http://api.test${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const response = await worker.fetch(request, { ...env, DATABASE_URL: url.toString() }, executionContext);
  expect(response.status, await response.clone().text()).toBe(init.status ?? 200);
  return ((await (await fetch(`${counter.counts}/round-trips?tag=${tag}`)).json()) as { roundTrips: number }).roundTrips;
}

describe.skipIf(!onNodePostgres)('database round trips on the node-postgres transport: a batch is pipelined, one round trip', () => {
  it('a read, a create with its audit event, keyed or not, and an update under If-Match: one each; a replay or a stale update: two', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    expect(await pgRoundTripsOf('/v1/stations', token)).toBe(1);
    const path = `/v1/units/${tenant.unitCode}/districts`;
    expect(await pgRoundTripsOf(path, token, { method: 'POST', body: { code: `${tenant.unitCode}-RT1`, name: 'One' }, status: 201 })).toBe(1);
    const keyed = { method: 'POST', body: { code: `${tenant.unitCode}-RT2`, name: 'Two' }, headers: { 'Idempotency-Key': crypto.randomUUID() }, status: 201 };
    expect(await pgRoundTripsOf(path, token, keyed)).toBe(1);
    expect(await pgRoundTripsOf(path, token, keyed)).toBe(2);
    const district = `${path}/${tenant.districtCodes[0]}`;
    expect(await pgRoundTripsOf(district, token, { method: 'PATCH', body: { name: 'Renamed' }, headers: { 'If-Match': '"v1"' } })).toBe(1);
    expect(await pgRoundTripsOf(district, token, { method: 'PATCH', body: { name: 'Stale' }, headers: { 'If-Match': '"v1"' }, status: 412 })).toBe(2);
  });

  it('the case operations: one round trip each, intake with its routing, children and checklist included', async () => {
    const tenant = await createTestTenant();
    const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    expect(await pgRoundTripsOf('/v1/cases', officer, { method: 'POST', body: intake(), headers: { 'Idempotency-Key': crypto.randomUUID() }, status: 201 })).toBe(1);
    const { id } = await reportTestCase(tenant);
    expect(await pgRoundTripsOf(`/v1/cases/${id}`, officer)).toBe(1);
    expect(await pgRoundTripsOf('/v1/cases?status=reported&minor=true', officer)).toBe(1);
    expect(await pgRoundTripsOf('/v1/identifiers/upi/quickcash@ybl/cases', officer)).toBe(1);
    expect(await pgRoundTripsOf(`/v1/cases/${id}/timeline`, officer)).toBe(1);
    expect(await pgRoundTripsOf(`/v1/cases/${id}/transitions`, officer, { method: 'POST', body: { to: 'triaged' } })).toBe(1);
    expect(await pgRoundTripsOf(`/v1/cases/${id}/payments`, officer, { method: 'POST', body: { amount: '100', paidAt: minutesAgo(630), method: 'upi' }, status: 201 })).toBe(1);
    expect(await pgRoundTripsOf(`/v1/cases/${id}`, officer, { method: 'PATCH', body: { narrative: 'More detail' }, headers: { 'If-Match': '"v3"' } })).toBe(1);
  });

  it('a statement the server refuses fails the batch with its own error, and nothing of it is kept', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const path = `/v1/units/${tenant.unitCode}/districts`;
    const body = { code: `${tenant.unitCode}-TWICE`, name: 'Twice' };
    expect(await pgRoundTripsOf(path, token, { method: 'POST', body, status: 201 })).toBe(1);
    await pgRoundTripsOf(path, token, { method: 'POST', body, status: 409 });
    const listed = (await (await worker.fetch(new Request(`http://api.test${path}`, { headers: { Authorization: `Bearer ${token}` } }), env, executionContext)).json()) as { data: { code: string }[] };
    expect(listed.data.filter((district) => district.code === body.code)).toHaveLength(1);
  });
});
