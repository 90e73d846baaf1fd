import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { issueClientToken } from '../../src/auth/token-issuer.js';
import { authenticate } from '../../src/auth/verify-bearer-token.js';
import { appConfig } from '../support/config.js';
import { createTestTenant } from '../support/tenants.js';

async function signingKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
}

async function signedBy(key: JWK, unit: string, issuer: string, audience: string): Promise<string> {
  return new SignJWT({ client_id: 'cli_rotation000000000000', roles: ['integration_client'], scope: 'tenancy:read', unit })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid! })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('cli_rotation000000000000')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importJWK(key, 'ES256'));
}

describe('rotating the keys that sign machine clients\' tokens', () => {
  it('signs with the first key, still accepts tokens of a key kept in the list, and refuses a removed one', async () => {
    const tenant = await createTestTenant();
    const [current, previous, retired] = await Promise.all([signingKey('current'), signingKey('previous'), signingKey('retired')]);
    const config = appConfig({ TOKEN_SIGNING_KEYS: JSON.stringify({ keys: [current, previous] }) });

    const issued = await issueClientToken(config, { clientId: 'cli_rotation000000000000', roles: ['integration_client'], scopes: ['tenancy:read'], unit: tenant.unitCode });
    expect(JSON.parse(atob(issued.split('.')[0]!)).kid).toBe('current');
    expect(await authenticate(issued, config)).toHaveProperty('principal');

    const fromPrevious = await signedBy(previous, tenant.unitCode, config.TOKEN_ISSUER, config.AUTH_AUDIENCE);
    expect(await authenticate(fromPrevious, config)).toHaveProperty('principal');

    const fromRetired = await signedBy(retired, tenant.unitCode, config.TOKEN_ISSUER, config.AUTH_AUDIENCE);
    expect(await authenticate(fromRetired, config)).toHaveProperty('error');
  });
});
