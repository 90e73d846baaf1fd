import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { startLocalDatabase, type LocalDatabase } from '../local-db/local-database.js';

/** Clients whose application_name starts with this are held 20 ms per round trip by the endpoint. */
export const farTag = 'far-';
export const farDelayMs = 20;

export interface BenchEnvironment {
  database: LocalDatabase;
  /** Worker bindings for a client tag (the endpoint counts round trips per tag). */
  bindings(tag?: string): Record<string, unknown>;
  token(claims: { roles: string[]; unit?: string; district?: string; station?: string; sub?: string }): Promise<string>;
  close(): Promise<void>;
}

const issuer = 'urn:sextortion-sop-api:bench';
const audience = 'sextortion-sop-api';

/** The embedded database, or the server at DATABASE_URL, behind the local Neon endpoint, with a signing key of its own. */
/** The server at DATABASE_URL unless told otherwise (`{ serverUrl: undefined }` is the embedded database). */
export async function startBenchEnvironment({ serverUrl }: { serverUrl?: string } = { serverUrl: process.env.DATABASE_URL || undefined }): Promise<BenchEnvironment> {
  const database = await startLocalDatabase({ serverUrl, seed: true, roundTripDelay: (tag) => (tag?.startsWith(farTag) ? farDelayMs : 0) });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const apiKey = await generateKeyPair('ES256', { extractable: true });
  const tokenSigningKeys = JSON.stringify({ keys: [{ ...(await exportJWK(apiKey.privateKey)), kid: 'bench-api', alg: 'ES256' }] });
  const cache = new Map<string, Record<string, unknown>>();
  return {
    database,
    bindings(tag = 'bench') {
      let bindings = cache.get(tag);
      if (!bindings) {
        const url = new URL(database.appUrl);
        url.searchParams.set('application_name', tag);
        bindings = {
          DATABASE_URL: url.toString(),
          NEON_LOCAL_ENDPOINT: database.endpoint.url,
          AUTH_ISSUER: issuer,
          AUTH_AUDIENCE: audience,
          AUTH_JWKS: JSON.stringify({ keys: [publicJwk] }),
          TOKEN_SIGNING_KEYS: tokenSigningKeys,
          // The load generator is one client at thousands of requests a second: quotas would measure only 429s.
          RATE_LIMITS: JSON.stringify({ policies: { bench: { quota: 1_000_000_000, window: 60, binding: 'RATE_LIMIT_BENCH' } }, client: 'bench', unit: 'bench' }),
        };
        cache.set(tag, bindings);
      }
      return bindings;
    },
    token(claims) {
      return new SignJWT({ sub: 'bench-officer', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(privateKey);
    },
    close: () => database.close(),
  };
}

export async function roundTripsOf(database: LocalDatabase, tag: string): Promise<number> {
  const response = await fetch(`${database.endpoint.url}/round-trips?tag=${encodeURIComponent(tag)}`);
  const counts = (await response.json()) as { http: number; webSocket: number };
  return counts.http + counts.webSocket;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
