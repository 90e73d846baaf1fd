import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { memoryRateLimiter } from '../../src/rate-limits/limiter.js';
import { createClientRoute } from '../../src/routes/clients/create-client.js';
import { api, expectProblem } from '../support/api.js';
import { parseResponse } from '../support/contract.js';
import { clientAccessToken } from '../support/identity.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { signToken, tokenFor } from '../support/tokens.js';

/**
 * vitest.config.ts: every quota is roomy (1,000,000 a minute) except in units of this run's own:
 * TEST_CLIENT_QUOTA_UNIT gives each client 3 requests a minute, each of TEST_UNIT_QUOTA_UNITS
 * gives the whole unit 4. The bindings count in fixed minutes (as miniflare emulates them), so a
 * test whose requests straddle the turn of a minute runs again with fresh clients (and the next
 * unit); nothing here waits for the clock.
 */
const roomy = 1_000_000;

async function inOneWindow(body: (attempt: number) => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const minute = Math.floor(Date.now() / 60_000);
    try {
      await body(attempt);
      if (Math.floor(Date.now() / 60_000) === minute) return;
    } catch (error) {
      if (Math.floor(Date.now() / 60_000) === minute) throw error;
    }
  }
  throw new Error('three attempts straddled the turn of a minute');
}

const unique = () => crypto.randomUUID().slice(0, 8);
const officer = (unit: string, station: string) => signToken({ sub: `officer-${unique()}`, roles: ['investigating_officer'], unit, station });
const listStations = (token: string) => api('/v1/stations', { token });

async function expectQuotaExceeded(response: Response, kind: 'client' | 'unit', quota: number) {
  const problem = await expectProblem(response, 429, 'quota_exceeded');
  expect(problem['violated-policies']).toEqual([kind]);
  expect(response.headers.get('retry-after')).toBe('60');
  expect(response.headers.get('ratelimit')).toContain(`"${kind}";r=0;t=60`);
  expect(response.headers.get('ratelimit-policy')).toContain(`"${kind}";q=${quota};w=60`);
}

let clientQuotaTenant: TestTenant;
let unitQuotaTenants: TestTenant[];

beforeAll(async () => {
  clientQuotaTenant = await createTestTenant(env.TEST_CLIENT_QUOTA_UNIT);
  unitQuotaTenants = await Promise.all(env.TEST_UNIT_QUOTA_UNITS.split(',').map((code) => createTestTenant(code)));
});

describe('request quotas on /v1', () => {
  it('a unit without an override has the default policies, named in RateLimit-Policy on every answer', async () => {
    const tenant = await createTestTenant();
    const token = await officer(tenant.unitCode, tenant.stationCodes[0]);
    for (let request = 1; request <= 6; request += 1) {
      const response = await listStations(token);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-policy')).toBe(`"client";q=${roomy};w=60, "unit";q=${roomy};w=60`);
      // The binding says only yes or no: nothing is claimed about what is left.
      expect(response.headers.get('ratelimit')).toBeNull();
    }
    const forbidden = await api(`/v1/units/${tenant.unitCode}/clients`, { token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('ratelimit-policy')).toBe(`"client";q=${roomy};w=60, "unit";q=${roomy};w=60`);
  });

  it('refuses a client its 4th request in a minute (429, Retry-After, RateLimit) while another client of the unit goes on', async () => {
    await inOneWindow(async () => {
      const station = clientQuotaTenant.stationCodes[0];
      const [first, second] = [await officer(clientQuotaTenant.unitCode, station), await officer(clientQuotaTenant.unitCode, station)];
      for (let request = 1; request <= 3; request += 1) {
        const response = await listStations(first);
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-policy')).toBe(`"client";q=3;w=60, "unit";q=${roomy};w=60`);
      }
      await expectQuotaExceeded(await listStations(first), 'client', 3);
      await expectQuotaExceeded(await listStations(first), 'client', 3);
      expect((await listStations(second)).status).toBe(200);
    });
  });

  it('counts a machine client\'s token request against its quota, by client_id', async () => {
    await inOneWindow(async () => {
      const admin = await tokenFor.unit(clientQuotaTenant.unitCode);
      const created = await parseResponse(
        createClientRoute,
        201,
        await api(`/v1/units/${clientQuotaTenant.unitCode}/clients`, { method: 'POST', token: admin, body: { name: 'Register', scopes: ['tenancy:read'] } }),
      );
      const token = await clientAccessToken({ clientId: created.client.clientId, clientSecret: created.clientSecret });
      expect((await listStations(token)).status).toBe(200);
      expect((await listStations(token)).status).toBe(200);
      await expectQuotaExceeded(await listStations(token), 'client', 3);
    });
  });

  it('refuses every client of a unit once the unit\'s quota is used up; other units go on', async () => {
    await inOneWindow(async (attempt) => {
      const unitQuotaTenant = unitQuotaTenants[attempt]!;
      const [a, b, c] = await Promise.all(unitQuotaTenant.stationCodes.slice(0, 3).map((station) => officer(unitQuotaTenant.unitCode, station)));
      for (const token of [a, a, b, b]) {
        const response = await listStations(token!);
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-policy')).toBe(`"client";q=${roomy};w=60, "unit";q=4;w=60`);
      }
      await expectQuotaExceeded(await listStations(c!), 'unit', 4);
      await expectQuotaExceeded(await listStations(a!), 'unit', 4);
      // The unit administrator is a client of the same unit; the platform administrator has no unit.
      await expectQuotaExceeded(await api(`/v1/units/${unitQuotaTenant.unitCode}/clients`, { token: await tokenFor.unit(unitQuotaTenant.unitCode) }), 'unit', 4);
      const platform = await api('/v1/units', { token: await signToken({ sub: `platform-${unique()}`, roles: ['platform_admin'] }) });
      expect(platform.status).toBe(200);
      expect(platform.headers.get('ratelimit-policy')).toBe(`"client";q=${roomy};w=60`);
      const other = await createTestTenant();
      expect((await listStations(await officer(other.unitCode, other.stationCodes[0]))).status).toBe(200);
    });
  });
});

describe('request quotas on the Node entry (its in-memory counter)', () => {
  it('reports what is left of each quota and when its window closes, on every answer', async () => {
    let now = Date.parse('2019-11-28T10:00:00Z');
    const limiter = memoryRateLimiter(() => now);
    const app = createApp({ rateLimiter: () => limiter });
    const tenant = await createTestTenant(`RLN${unique().toUpperCase()}`);
    const token = await officer(tenant.unitCode, tenant.stationCodes[0]);
    const call = () => app.fetch(new Request('http://api.test/v1/stations', { headers: { Authorization: `Bearer ${token}` } }), env);

    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit')).toBe(`"client";r=${roomy - 1};t=60, "unit";r=${roomy - 1};t=60`);
    now += 45_500;
    expect((await call()).headers.get('ratelimit')).toBe(`"client";r=${roomy - 2};t=15, "unit";r=${roomy - 2};t=15`);
    now += 15_000;
    expect((await call()).headers.get('ratelimit')).toBe(`"client";r=${roomy - 1};t=60, "unit";r=${roomy - 1};t=60`);
  });
});
