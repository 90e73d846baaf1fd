import { exportJWK, generateKeyPair } from 'jose';
import type { TestProject } from 'vitest/node';
import { startLocalDatabase } from '../scripts/local-db/local-database.js';
import { startJwksHost } from './jwks-host.js';

declare module 'vitest' {
  export interface ProvidedContext {
    appDatabaseUrl: string;
    ownerDatabaseUrl: string;
    neonEndpoint: string;
    publicJwks: string;
    signingJwk: string;
    tokenSigningKeys: string;
    jwksHost: string;
    databaseKind: string;
  }
}

async function privateJwk(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/**
 * One database for the run: embedded PGlite in memory, or the server at TEST_DATABASE_URL,
 * migrated and seeded with the demo tenancy, behind the local Neon endpoint. Beside it, a
 * loopback host where tests publish identity providers' key sets.
 */
export default async function setup(project: TestProject) {
  const database = await startLocalDatabase({ serverUrl: process.env.TEST_DATABASE_URL || undefined, seed: true });
  const jwksHost = await startJwksHost();
  const platform = await privateJwk('test-platform-key');
  const api = await privateJwk('test-api-key');
  project.provide('appDatabaseUrl', database.appUrl);
  project.provide('ownerDatabaseUrl', database.ownerUrl);
  project.provide('neonEndpoint', database.endpoint.url);
  project.provide('publicJwks', JSON.stringify({ keys: [platform.publicJwk] }));
  project.provide('signingJwk', JSON.stringify(platform.privateJwk));
  project.provide('tokenSigningKeys', JSON.stringify({ keys: [api.privateJwk] }));
  project.provide('jwksHost', jwksHost.url);
  project.provide('databaseKind', database.kind);
  return async () => {
    await jwksHost.close();
    await database.close();
  };
}
