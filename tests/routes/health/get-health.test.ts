import { describe, expect, it } from 'vitest';
import worker from '../../../src/index.js';
import { healthSchema } from '../../../src/routes/health/get-health.js';
import { env } from 'cloudflare:workers';
import { api, expectProblem } from '../../support/api.js';

const executionContext = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

function callWith(bindings: Record<string, unknown>, path = '/health') {
  return worker.fetch(new Request(`http://api.test${path}`), bindings, executionContext);
}

describe('GET /health', () => {
  it('is healthy: database reachable, migrations current, app role bound by row-level security', async () => {
    const response = await api('/health');
    expect(response.status).toBe(200);
    const health = healthSchema.parse(await response.json());
    expect(health.status).toBe('healthy');
    expect(health.checks.migrations.applied).toBe(health.checks.migrations.expected);
    expect(health.checks.rowLevelSecurity).toMatchObject({ ok: true, role: 'sextortion_app' });
  });

  it('is unhealthy, with a 503 and the failing check, when the database cannot be reached', async () => {
    const unreachable = env.DATABASE_URL.replace(/@[^/]+\//, '@127.0.0.1:9/');
    const response = await callWith({ ...env, DATABASE_URL: unreachable });
    expect(response.status).toBe(503);
    const health = healthSchema.parse(await response.json());
    expect(health).toMatchObject({ status: 'unhealthy', checks: { database: { ok: false } } });
  });

  it('is unhealthy when the API logs in as the owner, which tenant work could switch back to', async () => {
    const response = await callWith({ ...env, DATABASE_URL: env.TEST_OWNER_DATABASE_URL });
    expect(response.status).toBe(503);
    const health = healthSchema.parse(await response.json());
    expect(health.checks.rowLevelSecurity.ok).toBe(false);
    expect(health.checks.rowLevelSecurity.detail).toMatch(/the login role \w+ (is a superuser|owns tables)/);
  });

  it('answers a 500 problem naming the missing setting when configuration is incomplete', async () => {
    const { DATABASE_URL: _missing, ...rest } = env;
    const problem = await expectProblem(await callWith(rest), 500, 'configuration_invalid');
    expect(problem.detail).toContain('DATABASE_URL');
    const noKeys = await expectProblem(await callWith({ ...env, AUTH_JWKS: undefined }), 500, 'configuration_invalid');
    expect(noKeys.detail).toContain('AUTH_JWKS');
  });

  it('answers the same problem on API routes rather than crashing', async () => {
    const { AUTH_ISSUER: _missing, ...rest } = env;
    const problem = await expectProblem(await callWith(rest, '/v1/stations'), 500, 'configuration_invalid');
    expect(problem.detail).toContain('AUTH_ISSUER');
  });
});
