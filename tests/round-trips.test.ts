import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createTenantRunner } from '../src/db/tenant-runner.js';
import worker from '../src/index.js';
import { appConfig } from './support/config.js';
import { createTestTenant } from './support/tenants.js';
import { tokenFor } from './support/tokens.js';

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

async function roundTripsOf(path: string, token?: string) {
  const { tag, url } = taggedDatabaseUrl();
  const request = new Request(`http://api.test${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const response = await worker.fetch(request, { ...env, DATABASE_URL: url }, executionContext);
  expect(response.status).toBe(200);
  return countedRoundTrips(tag);
}

describe('database round trips per operation (the README lists these)', () => {
  it('GET /health: one HTTP round trip', async () => {
    expect(await roundTripsOf('/health')).toEqual({ http: 1, webSocket: 0 });
  });

  it('GET /v1/stations: one HTTP round trip', async () => {
    const tenant = await createTestTenant();
    expect(await roundTripsOf('/v1/stations', await tokenFor.unit(tenant.unitCode))).toEqual({ http: 1, webSocket: 0 });
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
