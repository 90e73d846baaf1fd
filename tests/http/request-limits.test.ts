import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import committed from '../../openapi.yaml';
import { api, expectProblem } from '../support/api.js';
import { hoursAgo } from '../support/clock.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

const contract = parse(committed);
const queryParameter = (path: string, name: string) =>
  (contract.paths[path].get.parameters as { name: string; schema: { maxLength?: number } }[]).find((parameter) => parameter.name === name)!.schema;

/** The limits the contract publishes for what a client sends are the ones the app enforces. */
describe('request limits', () => {
  it('refuses a filter or time longer than the contract allows, pointing at it (400)', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const statusLimit = queryParameter('/v1/cases', 'status').maxLength!;
    expect(statusLimit).toBe(500);
    const statuses = await expectProblem(await api(`/v1/cases?status=${'reported,'.repeat(60)}reported`, { token }), 400, 'validation_failed');
    expect(statuses.errors?.map((error) => error.pointer)).toContain('/query/status');

    const timeLimit = queryParameter('/v1/cases', 'reportedFrom').maxLength!;
    // A time the clock the test sets makes, its fraction padded past the limit (or to microseconds).
    const [wholeSeconds] = hoursAgo(2).split('.');
    const longTime = `${wholeSeconds}.${'0'.repeat(timeLimit)}Z`;
    const times = await expectProblem(await api(`/v1/cases?reportedFrom=${longTime}`, { token }), 400, 'validation_failed');
    expect(times.errors?.map((error) => error.pointer)).toContain('/query/reportedFrom');
    expect((await api(`/v1/cases?reportedFrom=${wholeSeconds}.123456Z`, { token })).status).toBe(200);
  });

  it('refuses more keys in an identity provider\'s inline key set than the contract allows (400)', async () => {
    const tenant = await createTestTenant();
    const key = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    const limit = contract.components.schemas.JsonWebKeySet.properties.keys.maxItems as number;
    const keys = Array.from({ length: limit + 1 }, (_, index) => ({ ...key, kid: `k${index}` }));
    const response = await api(`/v1/units/${tenant.unitCode}/identity-providers`, {
      method: 'POST',
      token: await tokenFor.unit(tenant.unitCode),
      body: { issuer: `https://idp.example/${crypto.randomUUID()}`, audience: 'sextortion-sop-api', jwks: { keys }, algorithms: ['ES256'] },
    });
    const problem = await expectProblem(response, 400, 'validation_failed');
    expect(problem.errors?.map((error) => error.pointer)).toContain('/body/jwks/keys');
  });
});
