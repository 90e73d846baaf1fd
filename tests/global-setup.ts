import { exportJWK, generateKeyPair } from 'jose';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { startLocalDatabase } from '../scripts/local-db/local-database.js';
import { startJwksHost } from './jwks-host.js';
import { startOidcProviders } from './oidc-providers.js';
import { startPgRoundTripCounter } from './pg-round-trip-counter.js';
import { startWebhookReceiver } from './webhooks/webhook-receiver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    appDatabaseUrl: string;
    ownerDatabaseUrl: string;
    neonEndpoint: string;
    publicJwks: string;
    signingJwk: string;
    tokenSigningKeys: string;
    jwksHost: string;
    oidcProviders: string;
    webhookReceiver: string;
    databaseKind: string;
    pgRoundTripCounter: string;
  }
}

async function privateJwk(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

interface SharedSetup {
  values: Record<string, string>;
  users: number;
  close(): Promise<void>;
}

/** Named once, at the root of vitest.config.ts, for every project; it keeps to one start if a project names it too. */
const shared = globalThis as { sopTestSetup?: Promise<SharedSetup> };

async function startShared(): Promise<SharedSetup> {
  const database = await startLocalDatabase({ serverUrl: process.env.TEST_DATABASE_URL || undefined, seed: true });
  const jwksHost = await startJwksHost();
  const oidcProviders = await startOidcProviders();
  const webhookReceiver = await startWebhookReceiver();
  const serverUrl = database.kind === 'server' ? new URL(database.appUrl) : undefined;
  const roundTripCounter = serverUrl ? await startPgRoundTripCounter({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) }) : undefined;
  const platform = await privateJwk('test-platform-key');
  const api = await privateJwk('test-api-key');
  return {
    values: {
      appDatabaseUrl: database.appUrl,
      ownerDatabaseUrl: database.ownerUrl,
      neonEndpoint: database.endpoint.url,
      publicJwks: JSON.stringify({ keys: [platform.publicJwk] }),
      signingJwk: JSON.stringify(platform.privateJwk),
      tokenSigningKeys: JSON.stringify({ keys: [api.privateJwk] }),
      jwksHost: jwksHost.url,
      oidcProviders: oidcProviders.url,
      webhookReceiver: webhookReceiver.url,
      databaseKind: database.kind,
      pgRoundTripCounter: roundTripCounter ? JSON.stringify({ address: roundTripCounter.address, counts: roundTripCounter.counts }) : '',
    },
    users: 0,
    async close() {
      await jwksHost.close();
      await oidcProviders.close();
      await webhookReceiver.close();
      await roundTripCounter?.close();
      await database.close();
    },
  };
}

/**
 * One database for the run: embedded PGlite in memory, or the server at TEST_DATABASE_URL,
 * migrated and seeded with the demo tenancy, behind the local Neon endpoint. Beside it, a
 * loopback host where tests publish identity providers' key sets, identity providers shaped
 * like Keycloak, Entra ID, Cognito and Okta (tests/oidc-providers.ts), and a loopback webhook
 * receiver (tests/webhooks/webhook-receiver.ts).
 */
export default async function setup(project: TestProject) {
  shared.sopTestSetup ??= startShared();
  const setup = await shared.sopTestSetup;
  setup.users += 1;
  for (const [key, value] of Object.entries(setup.values)) project.provide(key as keyof ProvidedContext, value);
  return async () => {
    setup.users -= 1;
    if (setup.users > 0) return;
    shared.sopTestSetup = undefined;
    await setup.close();
  };
}
