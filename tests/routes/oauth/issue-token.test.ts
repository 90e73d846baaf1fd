import { env, exports } from 'cloudflare:workers';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createClientRoute } from '../../../src/routes/clients/create-client.js';
import { rotateClientSecretRoute } from '../../../src/routes/clients/rotate-client-secret.js';
import { updateClientRoute } from '../../../src/routes/clients/update-client.js';
import { getJwksRoute } from '../../../src/routes/oauth/get-jwks.js';
import { issueTokenRoute } from '../../../src/routes/oauth/issue-token.js';
import { listStations } from '../../../src/routes/stations/list-stations.js';
import { api, expectProblem } from '../../support/api.js';
import { parseResponse } from '../../support/contract.js';
import { clientAccessToken, requestToken, type ClientCredentials } from '../../support/identity.js';
import { createTestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';

interface NewClient {
  name?: string;
  roles?: string[];
  scopes?: string[];
  districtCode?: string;
  stationCode?: string;
}

/** A unit of its own with one integration client its administrator registered. */
async function unitWithClient(client: NewClient = { scopes: ['tenancy:read'] }) {
  const tenant = await createTestTenant();
  const adminToken = await tokenFor.unit(tenant.unitCode);
  const created = await parseResponse(
    createClientRoute,
    201,
    await api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token: adminToken, body: { name: 'Pune City e-FIR register', ...client } }),
  );
  const credentials: ClientCredentials = { clientId: created.client.clientId, clientSecret: created.clientSecret };
  return { tenant, adminToken, client: created.client, credentials };
}

/** An RFC 6749 §5.2 error, written as a problem document that also carries `error`. */
async function expectOAuthError(response: Response, status: 400 | 401, error: string) {
  const problem = (await expectProblem(response, status, `oauth_${error}`)) as Awaited<ReturnType<typeof expectProblem>> & { error?: string; error_description?: string };
  expect(problem.error).toBe(error);
  expect(problem.error_description).toEqual(expect.any(String));
  if (status === 401) expect(response.headers.get('www-authenticate')).toContain('Basic');
  return problem;
}

const grant = { grant_type: 'client_credentials' };

async function stationCodesSeenBy(token: string) {
  const page = await parseResponse(listStations, 200, await api('/v1/stations?limit=200', { token }));
  return page.data.map((station) => station.code);
}

describe('POST /v1/oauth/token (client credentials)', () => {
  it('issues a token for credentials sent with HTTP Basic', async () => {
    const { credentials } = await unitWithClient();
    const response = await requestToken(grant, credentials);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const body = await parseResponse(issueTokenRoute, 200, response);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'tenancy:read' });
    expect(body.access_token.split('.')).toHaveLength(3);
  });

  it('issues a token for credentials sent in the form', async () => {
    const { credentials } = await unitWithClient();
    const body = await parseResponse(
      issueTokenRoute,
      200,
      await requestToken({ ...grant, client_id: credentials.clientId, client_secret: credentials.clientSecret }),
    );
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'tenancy:read' });
  });

  it('answers invalid_client (401) for a wrong secret, an unknown client, a disabled client, or no credentials', async () => {
    const { tenant, adminToken, credentials } = await unitWithClient();
    const wrongSecret = { ...credentials, clientSecret: `${credentials.clientSecret.slice(0, -1)}${credentials.clientSecret.endsWith('x') ? 'y' : 'x'}` };
    await expectOAuthError(await requestToken(grant, wrongSecret), 401, 'invalid_client');
    await expectOAuthError(await requestToken({ ...grant, client_id: credentials.clientId, client_secret: 'sec_guess' }), 401, 'invalid_client');
    // An unknown client_id of this run's own: failures for it are counted, and a fixed one would pile up over runs on one database.
    const unknownClientId = `cli_${crypto.randomUUID().replace(/[^a-z0-9]/g, '').slice(0, 20)}`;
    await expectOAuthError(await requestToken(grant, { clientId: unknownClientId, clientSecret: credentials.clientSecret }), 401, 'invalid_client');
    await expectOAuthError(await requestToken(grant), 401, 'invalid_client');
    await expectOAuthError(await requestToken({ ...grant, client_id: credentials.clientId }), 401, 'invalid_client');

    const disabled = await api(`/v1/units/${tenant.unitCode}/clients/${credentials.clientId}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { disabled: true } });
    expect((await parseResponse(updateClientRoute, 200, disabled)).disabled).toBe(true);
    const refused = await expectOAuthError(await requestToken(grant, credentials), 401, 'invalid_client');
    // The same answer as a wrong secret: nothing tells a caller which part was wrong.
    expect(refused.detail).toBe((await expectOAuthError(await requestToken(grant, wrongSecret), 401, 'invalid_client')).detail);
  });

  it('answers unsupported_grant_type (400) for any grant but client_credentials', async () => {
    const { credentials } = await unitWithClient();
    for (const grantType of ['password', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      await expectOAuthError(await requestToken({ grant_type: grantType }, credentials), 400, 'unsupported_grant_type');
    }
  });

  it('answers invalid_request (400) for a JSON or multipart body, no body, or a form without grant_type', async () => {
    const { credentials } = await unitWithClient();
    const json = await exports.default.fetch('http://api.test/v1/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...grant, client_id: credentials.clientId, client_secret: credentials.clientSecret }),
    });
    await expectOAuthError(json, 400, 'invalid_request');
    const multipart = new FormData();
    multipart.set('grant_type', 'client_credentials');
    await expectOAuthError(await exports.default.fetch('http://api.test/v1/oauth/token', { method: 'POST', body: multipart }), 400, 'invalid_request');
    await expectOAuthError(await exports.default.fetch('http://api.test/v1/oauth/token', { method: 'POST' }), 400, 'invalid_request');
    await expectOAuthError(await requestToken({}, credentials), 400, 'invalid_request');
  });

  it('answers invalid_scope (400) for a scope the client was not granted, and narrows to a granted subset', async () => {
    const { credentials } = await unitWithClient({ scopes: ['tenancy:read', 'audit:read'] });
    for (const scope of ['units:create', 'clients:manage', 'tenancy:read units:create', 'platform_admin']) {
      const problem = await expectOAuthError(await requestToken({ ...grant, scope }, credentials), 400, 'invalid_scope');
      expect(problem.error_description).toContain(scope.split(' ').at(-1));
    }
    const narrowed = await parseResponse(issueTokenRoute, 200, await requestToken({ ...grant, scope: 'audit:read' }, credentials));
    expect(narrowed.scope).toBe('audit:read');
    // The narrowed token holds only what it asked for.
    await expectProblem(await api('/v1/stations', { token: narrowed.access_token }), 403, 'forbidden');
    const all = await parseResponse(issueTokenRoute, 200, await requestToken(grant, credentials));
    expect(all.scope.split(' ').sort()).toEqual(['audit:read', 'tenancy:read']);
  });

  it('signs tokens that verify against /.well-known/jwks.json, which publishes no private key material', async () => {
    const { tenant, credentials } = await unitWithClient();
    const jwksResponse = await exports.default.fetch('http://api.test/.well-known/jwks.json');
    expect(jwksResponse.headers.get('cache-control')).toContain('max-age');
    const jwks = await parseResponse(getJwksRoute, 200, jwksResponse);
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) expect(key, `${key.kid}: ${privateMember}`).not.toHaveProperty(privateMember);
    }

    const accessToken = await clientAccessToken(credentials);
    expect(jwks.keys.map((key) => key.kid)).toContain(decodeProtectedHeader(accessToken).kid);
    const { payload, protectedHeader } = await jwtVerify(accessToken, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
      issuer: env.TOKEN_ISSUER,
      audience: env.AUTH_AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['ES256', 'EdDSA'],
    });
    expect(protectedHeader.alg).not.toMatch(/^HS|none/i);
    expect(payload).toMatchObject({
      sub: credentials.clientId,
      client_id: credentials.clientId,
      roles: ['integration_client'],
      scope: 'tenancy:read',
      unit: tenant.unitCode,
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(JSON.stringify(payload)).not.toContain(credentials.clientSecret);
  });

  it('gives a client with tenancy:read the stations of its own unit, narrowed to its station or district when it is placed there', async () => {
    const { tenant, adminToken, credentials } = await unitWithClient();
    const other = await createTestTenant();
    const unitWide = await stationCodesSeenBy(await clientAccessToken(credentials));
    expect(unitWide).toEqual([...tenant.stationCodes].sort());
    expect(unitWide.some((code) => code.startsWith(`${other.unitCode}-`) || code.startsWith('MH-'))).toBe(false);

    const placed = async (placement: NewClient) => {
      const created = await parseResponse(
        createClientRoute,
        201,
        await api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token: adminToken, body: { name: 'Station register', scopes: ['tenancy:read'], ...placement } }),
      );
      expect(created.client).toMatchObject({ districtCode: placement.districtCode ?? null, stationCode: placement.stationCode ?? null });
      return clientAccessToken({ clientId: created.client.clientId, clientSecret: created.clientSecret });
    };
    expect(await stationCodesSeenBy(await placed({ stationCode: tenant.stationCodes[2] }))).toEqual([tenant.stationCodes[2]]);
    expect(await stationCodesSeenBy(await placed({ districtCode: tenant.districtCodes[0] }))).toEqual(tenant.stationCodes.slice(0, 2));
  });

  it('forbids a client without tenancy:read from listing stations (403)', async () => {
    const { credentials } = await unitWithClient({ scopes: [] });
    const token = await clientAccessToken(credentials);
    await expectProblem(await api('/v1/stations', { token }), 403, 'forbidden');
    const auditOnly = await unitWithClient({ scopes: ['audit:read'] });
    await expectProblem(await api('/v1/stations', { token: await clientAccessToken(auditOnly.credentials) }), 403, 'forbidden');
  });

  it('retires the old secret at once when the secret is rotated without an overlap', async () => {
    const { tenant, adminToken, credentials } = await unitWithClient();
    await clientAccessToken(credentials);
    const rotated = await parseResponse(
      rotateClientSecretRoute,
      200,
      await api(`/v1/units/${tenant.unitCode}/clients/${credentials.clientId}/secret`, { method: 'POST', token: adminToken, body: { previousSecretValidForSeconds: 0 } }),
    );
    expect(rotated.client.clientId).toBe(credentials.clientId);
    expect(rotated.clientSecret).not.toBe(credentials.clientSecret);
    await expectOAuthError(await requestToken(grant, credentials), 401, 'invalid_client');
    const fresh = await clientAccessToken({ clientId: credentials.clientId, clientSecret: rotated.clientSecret });
    expect(await stationCodesSeenBy(fresh)).toHaveLength(4);
  });

  it('refuses a disabled client, and serves it again once re-enabled', async () => {
    const { tenant, adminToken, credentials } = await unitWithClient();
    const patch = (disabled: boolean) =>
      api(`/v1/units/${tenant.unitCode}/clients/${credentials.clientId}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { disabled } });
    expect((await parseResponse(updateClientRoute, 200, await patch(true))).disabled).toBe(true);
    await expectOAuthError(await requestToken(grant, credentials), 401, 'invalid_client');
    expect((await parseResponse(updateClientRoute, 200, await patch(false))).disabled).toBe(false);
    expect(await stationCodesSeenBy(await clientAccessToken(credentials))).toHaveLength(4);
  });
});
