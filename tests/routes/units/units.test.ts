import { z } from '@hono/zod-openapi';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { paginationSchema } from '../../../src/http/cursor.js';
import { integrationClientSchema } from '../../../src/routes/clients/client-schema.js';
import { onboardedUnitSchema } from '../../../src/routes/units/create-unit.js';
import { unitSchema } from '../../../src/routes/units/unit-schema.js';
import { api, expectProblem } from '../../support/api.js';
import { createTestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

const unitPageSchema = z.object({ data: z.array(unitSchema), pagination: paginationSchema }).strict();
const clientPageSchema = z.object({ data: z.array(integrationClientSchema), pagination: paginationSchema });
const tokenResponseSchema = z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string() });

let sequence = 0;
const freshUnitCode = () => `U${crypto.randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}${++sequence}`;

async function onboard(body: Record<string, unknown>) {
  const response = await api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body });
  if (response.status !== 201) throw new Error(`onboarding: ${response.status} ${await response.text()}`);
  return onboardedUnitSchema.parse(await response.json());
}

/** Every unit the caller may see, following the cursor to the last page. */
async function allUnits(token: string) {
  const codes: string[] = [];
  let query = '?limit=200';
  for (;;) {
    const response = await api(`/v1/units${query}`, { token });
    expect(response.status).toBe(200);
    const page = unitPageSchema.parse(await response.json());
    codes.push(...page.data.map((unit) => unit.code));
    if (!page.pagination.hasMore) return codes;
    query = `?limit=200&cursor=${page.pagination.nextCursor}`;
  }
}

/** POST /v1/oauth/token with HTTP Basic, as a machine client would call it. */
function exchangeCredentials(clientId: string, clientSecret: string) {
  return exports.default.fetch('http://api.test/v1/oauth/token', {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

const inlineKeys = { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k1' }] };

describe('POST /v1/units', () => {
  it('onboards a unit with a unit-administrator client whose secret is shown once and works', async () => {
    const code = freshUnitCode();
    const onboarded = await onboard({ code, name: '  Karnataka CID Cyber Crime Division  ' });
    expect(onboarded.unit).toMatchObject({ code, name: 'Karnataka CID Cyber Crime Division' });
    expect(onboarded.identityProvider).toBeNull();
    expect(onboarded.administrator!.client).toMatchObject({
      roles: ['unit_admin'],
      scopes: [],
      unitCode: code,
      districtCode: null,
      stationCode: null,
      disabled: false,
    });
    const { client, clientSecret } = onboarded.administrator!;
    expect(client.clientId).toMatch(/^cli_[a-z0-9]{20}$/);
    expect(clientSecret).toMatch(/^sec_[a-z2-7]{52}$/);

    const exchanged = await exchangeCredentials(client.clientId, clientSecret);
    expect(exchanged.status).toBe(200);
    const { access_token: token } = tokenResponseSchema.parse(await exchanged.json());
    const ownUnit = await api(`/v1/units/${code}`, { token });
    expect(ownUnit.status).toBe(200);
    expect(unitSchema.parse(await ownUnit.json()).code).toBe(code);

    const listed = await api(`/v1/units/${code}/clients`, { token });
    expect(listed.status).toBe(200);
    const listedText = await listed.text();
    expect(clientPageSchema.parse(JSON.parse(listedText)).data.map((row) => row.clientId)).toEqual([client.clientId]);
    expect(listedText).not.toContain(clientSecret);
  });

  it('onboards a unit with its own identity provider and then hands out no client secret', async () => {
    const code = freshUnitCode();
    const issuer = `https://idp.example/${crypto.randomUUID()}`;
    const onboarded = await onboard({ code, name: 'Unit with its own sign-in', identityProvider: { issuer, audience: 'sextortion-sop-api', jwks: inlineKeys, algorithms: ['ES256'] } });
    expect(onboarded.administrator).toBeNull();
    expect(onboarded.identityProvider).toMatchObject({ unitCode: code, issuer, jwksUri: null, rolesClaim: 'roles' });
  });

  it('answers 409 for a code already taken, and leaves the first unit as it was', async () => {
    const code = freshUnitCode();
    await onboard({ code, name: 'The first one' });
    const again = await api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body: { code, name: 'The second one' } });
    await expectProblem(again, 409, 'already_exists');
    const unit = await api(`/v1/units/${code}`, { token: await tokenFor.unit(code) });
    expect(unitSchema.parse(await unit.json()).name).toBe('The first one');
  });

  it('rejects a malformed code with a problem pointing at /body/code, and creates nothing', async () => {
    const token = await tokenFor.platform();
    for (const code of ['ka', '1KA', 'K A', '', 'K'.repeat(65)]) {
      const problem = await expectProblem(await api('/v1/units', { method: 'POST', token, body: { code, name: 'Malformed' } }), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/code']);
    }
    const missingName = await expectProblem(await api('/v1/units', { method: 'POST', token, body: { code: freshUnitCode() } }), 400, 'validation_failed');
    expect(missingName.errors?.map((error) => error.pointer)).toEqual(['/body/name']);
  });

  it('rejects a unit code of more than one segment: it would share a prefix with another unit\'s districts', async () => {
    // Unit T and unit T-NORTH would both own codes starting T-NORTH-: a 409 from one would reveal the other's data.
    const tenant = await createTestTenant();
    const problem = await expectProblem(
      await api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body: { code: tenant.districtCodes[0], name: 'Squatter' } }),
      400,
      'validation_failed',
    );
    expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/code']);
    await expectProblem(await api(`/v1/units/${tenant.districtCodes[0]}`, { token: await tokenFor.platform() }), 404, 'not_found');
  });

  it('refuses every caller but the platform administrator', async () => {
    const tenant = await createTestTenant();
    const code = freshUnitCode();
    const callers = [
      await tokenFor.unit(tenant.unitCode),
      await signToken({ roles: ['auditor'], unit: tenant.unitCode }),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
    ];
    for (const token of callers) {
      await expectProblem(await api('/v1/units', { method: 'POST', token, body: { code, name: 'Not yours to create' } }), 403, 'forbidden');
    }
    await expectProblem(await api('/v1/units', { method: 'POST', body: { code, name: 'Anonymous' } }), 401, 'unauthorized');
    await expectProblem(await api(`/v1/units/${code}`, { token: await tokenFor.platform() }), 404, 'not_found');
  });
});

describe('GET /v1/units', () => {
  it('shows the platform administrator every unit, across pages', async () => {
    const [first, second] = [freshUnitCode(), freshUnitCode()];
    await onboard({ code: first, name: 'First fresh unit' });
    await onboard({ code: second, name: 'Second fresh unit' });
    const codes = await allUnits(await tokenFor.platform());
    expect(codes).toEqual(expect.arrayContaining([first, second, 'MH', 'KA']));
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('pages with a cursor that a platform administrator can follow to the same units', async () => {
    const token = await tokenFor.platform();
    const firstPage = unitPageSchema.parse(await (await api('/v1/units?limit=2', { token })).json());
    expect(firstPage.data).toHaveLength(2);
    expect(firstPage.pagination.hasMore).toBe(true);
    const secondPage = unitPageSchema.parse(await (await api(`/v1/units?limit=2&cursor=${firstPage.pagination.nextCursor}`, { token })).json());
    expect(secondPage.data[0]!.code > firstPage.data[1]!.code).toBe(true);
    await expectProblem(await api('/v1/units?cursor=bm90LWpzb24', { token }), 400, 'invalid_cursor');
  });

  it('shows a unit administrator and an auditor their own unit only', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    for (const token of [await tokenFor.unit(tenant.unitCode), await signToken({ roles: ['auditor'], unit: tenant.unitCode })]) {
      expect(await allUnits(token)).toEqual([tenant.unitCode]);
    }
    expect(await allUnits(await tokenFor.unit(other.unitCode))).toEqual([other.unitCode]);
  });

  it('refuses station and district officers', async () => {
    const tenant = await createTestTenant();
    await expectProblem(await api('/v1/units', { token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]) }), 403, 'forbidden');
    await expectProblem(await api('/v1/units', { token: await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]) }), 403, 'forbidden');
  });
});

describe('GET /v1/units/{unitCode}', () => {
  it('shows a unit administrator its own unit and answers 404 for another', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    const own = await api(`/v1/units/${tenant.unitCode}`, { token });
    expect(own.status).toBe(200);
    expect(unitSchema.parse(await own.json())).toMatchObject({ code: tenant.unitCode, name: `Test unit ${tenant.unitCode}` });
    await expectProblem(await api(`/v1/units/${other.unitCode}`, { token }), 404, 'not_found');
    await expectProblem(await api(`/v1/units/${freshUnitCode()}`, { token }), 404, 'not_found');
  });

  it('shows the platform administrator any unit, and answers the same 404 for one that does not exist', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.platform();
    const response = await api(`/v1/units/${tenant.unitCode}`, { token });
    expect(response.status).toBe(200);
    expect(unitSchema.parse(await response.json()).code).toBe(tenant.unitCode);
    await expectProblem(await api(`/v1/units/${freshUnitCode()}`, { token }), 404, 'not_found');
    const malformed = await expectProblem(await api('/v1/units/lower', { token }), 400, 'validation_failed');
    expect(malformed.errors?.map((error) => error.pointer)).toEqual(['/path/unitCode']);
  });
});
