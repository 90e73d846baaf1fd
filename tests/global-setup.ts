import { exportJWK, generateKeyPair } from 'jose';
import type { TestProject } from 'vitest/node';
import { startLocalDatabase } from '../scripts/local-db/local-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    appDatabaseUrl: string;
    ownerDatabaseUrl: string;
    neonEndpoint: string;
    publicJwks: string;
    signingJwk: string;
    databaseKind: string;
  }
}

/**
 * One database for the run: embedded PGlite in memory, or the server at TEST_DATABASE_URL,
 * migrated and seeded with the demo tenancy, behind the local Neon endpoint.
 */
export default async function setup(project: TestProject) {
  const database = await startLocalDatabase({ serverUrl: process.env.TEST_DATABASE_URL || undefined, seed: true });
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'test-key-1';
  project.provide('appDatabaseUrl', database.appUrl);
  project.provide('ownerDatabaseUrl', database.ownerUrl);
  project.provide('neonEndpoint', database.endpoint.url);
  project.provide('publicJwks', JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }));
  project.provide('signingJwk', JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }));
  project.provide('databaseKind', database.kind);
  return () => database.close();
}
