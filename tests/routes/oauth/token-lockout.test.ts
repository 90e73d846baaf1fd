import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createClientRoute } from '../../../src/routes/clients/create-client.js';
import { issueTokenRoute } from '../../../src/routes/oauth/issue-token.js';
import { verifyAuditChainRoute } from '../../../src/routes/audit/verify-audit-chain.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { parseResponse } from '../../support/contract.js';
import { requestToken, type ClientCredentials } from '../../support/identity.js';
import { createTestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';

/** vitest.config.ts: 5 wrong credentials lock a client_id, 8 lock an address, for 900 s. */
const limits = JSON.parse(env.RATE_LIMITS).tokenFailures as { perClient: number; perAddress: number; lockSeconds: number };
const grant = { grant_type: 'client_credentials' };

/** An address of this test's own (a /64 of the documentation range): counts of other tests and runs never reach it. */
function newAddress(): string {
  const group = () => Math.floor(Math.random() * 0x10000).toString(16);
  return `2001:db8:${group()}:${group()}::1`;
}

const unknownClientId = () => `cli_${crypto.randomUUID().replace(/[^a-z0-9]/g, '').slice(0, 20)}`;
const wrong = (credentials: ClientCredentials): ClientCredentials => ({ ...credentials, clientSecret: `sec_${'x'.repeat(52)}` });

async function newClient(unitCode: string): Promise<ClientCredentials> {
  const created = await parseResponse(
    createClientRoute,
    201,
    await api(`/v1/units/${unitCode}/clients`, { method: 'POST', token: await tokenFor.unit(unitCode), body: { name: 'e-FIR register', scopes: ['tenancy:read'] } }),
  );
  return { clientId: created.client.clientId, clientSecret: created.clientSecret };
}

const from = (address: string) => ({ 'CF-Connecting-IP': address });

async function expectLocked(response: Response) {
  const problem = await expectProblem(response, 429, 'too_many_failed_attempts');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(limits.lockSeconds);
  return problem;
}

async function expectRefused(response: Response) {
  await expectProblem(response, 401, 'oauth_invalid_client');
}

async function lockEvents(unitCode: string) {
  const events = await auditTrail(unitCode, await tokenFor.auditor(unitCode));
  return events.filter((event) => event.action === 'client.locked_out');
}

describe('POST /v1/oauth/token after repeated wrong credentials', () => {
  it('locks the client_id: 429 with Retry-After even for the right secret and from another address, audited in its unit', async () => {
    const tenant = await createTestTenant();
    const target = await newClient(tenant.unitCode);
    const neighbour = await newClient(tenant.unitCode);
    const address = newAddress();
    for (let attempt = 1; attempt <= limits.perClient; attempt += 1) await expectRefused(await requestToken(grant, wrong(target), from(address)));

    const problem = await expectLocked(await requestToken(grant, target, from(address)));
    expect(problem.detail).toContain('client');
    await expectLocked(await requestToken(grant, target, from(newAddress())));
    await expectLocked(await requestToken({ ...grant, client_id: target.clientId, client_secret: target.clientSecret }));

    // Another client_id from the same address is not locked: the address saw fewer failures than its own limit.
    await parseResponse(issueTokenRoute, 200, await requestToken(grant, neighbour, from(address)));

    const [event, ...more] = await lockEvents(tenant.unitCode);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      target: { type: 'client', id: target.clientId },
      actor: { issuer: env.TOKEN_ISSUER, subject: 'token-endpoint', roles: [] },
      changes: { reason: 'client', failures: limits.perClient, address: address.replace(/::1$/, '::/64'), lockSeconds: limits.lockSeconds },
    });
    const verdict = await parseResponse(verifyAuditChainRoute, 200, await api(`/v1/units/${tenant.unitCode}/audit/verify`, { token: await tokenFor.auditor(tenant.unitCode) }));
    expect(verdict.intact).toBe(true);
  });

  it('does not lock before the limit, and a success in between does not hide earlier failures', async () => {
    const tenant = await createTestTenant();
    const credentials = await newClient(tenant.unitCode);
    for (let attempt = 1; attempt < limits.perClient; attempt += 1) await expectRefused(await requestToken(grant, wrong(credentials)));
    await parseResponse(issueTokenRoute, 200, await requestToken(grant, credentials));
    await expectRefused(await requestToken(grant, wrong(credentials)));
    await expectLocked(await requestToken(grant, credentials));
  });

  it('locks a source address across client_ids, audited in the unit of the client its last failure named; other addresses are unaffected', async () => {
    const tenant = await createTestTenant();
    const credentials = await newClient(tenant.unitCode);
    const address = newAddress();
    for (let attempt = 1; attempt < limits.perAddress; attempt += 1) {
      await expectRefused(await requestToken(grant, { clientId: unknownClientId(), clientSecret: credentials.clientSecret }, from(address)));
    }
    await expectRefused(await requestToken(grant, wrong(credentials), from(address)));

    const problem = await expectLocked(await requestToken(grant, credentials, from(address)));
    expect(problem.detail).toContain('address');
    // Another address in the same /64 is the same subscriber.
    await expectLocked(await requestToken(grant, credentials, from(address.replace(/::1$/, '::2'))));
    await parseResponse(issueTokenRoute, 200, await requestToken(grant, credentials, from(newAddress())));
    await parseResponse(issueTokenRoute, 200, await requestToken(grant, credentials));

    const [event, ...more] = await lockEvents(tenant.unitCode);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ target: { type: 'client', id: credentials.clientId }, changes: { reason: 'address', failures: limits.perAddress, address: address.replace(/::1$/, '::/64') } });
  });

  it('locks an address whose failures named only unknown or malformed client_ids (no unit to audit it in)', async () => {
    const address = newAddress();
    for (let attempt = 1; attempt <= limits.perAddress; attempt += 1) {
      const clientId = attempt % 2 === 0 ? unknownClientId() : `not-a-client-${attempt}`;
      await expectRefused(await requestToken(grant, { clientId, clientSecret: 'sec_guess' }, from(address)));
    }
    const tenant = await createTestTenant();
    const credentials = await newClient(tenant.unitCode);
    await expectLocked(await requestToken(grant, credentials, from(address)));
    expect(await lockEvents(tenant.unitCode)).toEqual([]);
  });

  it('answers an unknown client_id as it answers a known one: locked after as many failures (no oracle for which ids exist)', async () => {
    const clientId = unknownClientId();
    for (let attempt = 1; attempt <= limits.perClient; attempt += 1) await expectRefused(await requestToken(grant, { clientId, clientSecret: 'sec_guess' }));
    await expectLocked(await requestToken(grant, { clientId, clientSecret: 'sec_guess' }));
  });

  it('does not count requests that carry no credentials or a refused grant', async () => {
    const tenant = await createTestTenant();
    const credentials = await newClient(tenant.unitCode);
    for (let attempt = 1; attempt <= limits.perClient; attempt += 1) {
      await expectProblem(await requestToken({ ...grant, client_id: credentials.clientId }), 401, 'oauth_invalid_client');
      await expectProblem(await requestToken({ grant_type: 'password' }, credentials), 400, 'oauth_unsupported_grant_type');
      await expectProblem(await requestToken({ ...grant, scope: 'cases:work' }, credentials), 400, 'oauth_invalid_scope');
    }
    await parseResponse(issueTokenRoute, 200, await requestToken(grant, credentials));
  });
});
