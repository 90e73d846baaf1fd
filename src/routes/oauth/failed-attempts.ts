import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { clientSecretMatches } from '../../auth/client-credentials.js';
import type { Principal } from '../../auth/principal.js';
import { lookUpClientCredentials, type ClientCredentialRecord } from '../../db/queries/integration-clients.js';
import { readTokenLocks, recordTokenFailure, type TokenFailureRow } from '../../db/queries/token-failures.js';
import { createTenantRunner, requestBound } from '../../db/tenant-runner.js';
import { ProblemError } from '../../http/problem.js';
import { addressPartition } from '../../rate-limits/address.js';

const wellFormedClientId = /^cli_[a-z0-9]{20}$/;

export function invalidClient(description = 'unknown client, wrong secret, or a disabled client'): ProblemError {
  return new ProblemError('oauth_invalid_client', description, {
    members: { error: 'invalid_client', error_description: description },
    headers: { 'WWW-Authenticate': 'Basic realm="oauth"' },
  });
}

function lockedOut(reason: string, retryAfter: number): ProblemError {
  return new ProblemError('too_many_failed_attempts', `token requests for this ${reason} are refused for ${retryAfter} s after repeated wrong credentials`,
    { headers: { 'Retry-After': String(retryAfter) } },
  );
}

/**
 * The client whose credentials these are, or a refusal: 429 while its client_id or the source
 * address is locked (checked before the secret, so a lock tells nothing about it), otherwise 401
 * for wrong credentials, each of which counts towards a lock. The lock check rides in the lookup's
 * round trip; only a failure costs a second one, which writes the count and, when it locks a
 * client that exists, the audit event in that client's unit.
 */
export async function authenticateClient(c: Context<AppEnv>, clientId: string, clientSecret: string): Promise<ClientCredentialRecord> {
  const { config, requestId } = c.var;
  const limits = config.RATE_LIMITS.tokenFailures;
  const address = addressPartition(c.var.clientAddress);
  const clientKey = wellFormedClientId.test(clientId) ? `client:${clientId}` : undefined;
  const addressKey = address ? `address:${address}` : undefined;
  if (!clientKey && !addressKey) throw invalidClient();

  // A lookup, nothing more: bounded and retried as a read.
  const runner = createTenantRunner(config, null, c.var.now, requestBound(config, 'GET'));
  const keys = [clientKey, addressKey].filter((key): key is string => key !== undefined);
  const [locks, lookup] = clientKey
    ? await runner.batch((db) => [readTokenLocks(db, keys), lookUpClientCredentials(db, clientId)])
    : [(await runner.batch((db) => [readTokenLocks(db, keys)]))[0], undefined];
  const lock = locks.rows.sort((first, second) => second.retryAfter - first.retryAfter)[0];
  if (lock) throw lockedOut(lock.key === clientKey ? 'client' : 'address', Math.max(1, lock.retryAfter));

  const client = lookup?.rows[0];
  if (client && !client.disabled && (await secretMatches(clientSecret, client))) return client;

  const failureRunner = client ? createTenantRunner(config, { level: 'unit', unitCode: client.unitCode }, c.var.now, requestBound(config, 'POST')) : runner;
  const [{ rows: locked }] = await failureRunner.batch((db) => [
    recordTokenFailure(db, {
      clientKey,
      addressKey,
      limits,
      audit: client ? { actor: { principal: tokenEndpoint(config.TOKEN_ISSUER, client.unitCode), requestId }, unitCode: client.unitCode, clientId, address } : undefined,
    }),
  ]);
  // A lock set by a request that names no existing client belongs to no unit's audit trail: it is logged instead.
  if (!client) for (const row of locked as TokenFailureRow[]) logLock(requestId, row, clientId, address);
  throw invalidClient();
}

/** The current secret, or the one a rotation replaced while its overlap lasts. */
async function secretMatches(secret: string, client: ClientCredentialRecord): Promise<boolean> {
  if (await clientSecretMatches(secret, client.secretHash)) return true;
  return client.previousSecretHash !== null && clientSecretMatches(secret, client.previousSecretHash);
}

/** The audit trail's actor for a lock: the token endpoint itself, since whoever failed is not known. */
function tokenEndpoint(issuer: string, unitCode: string): Principal {
  return { issuer, subject: 'token-endpoint', roles: [], scopes: [], tenancy: { level: 'unit', unitCode }, permissions: new Set() };
}

function logLock(requestId: string, row: TokenFailureRow, clientId: string, address: string | undefined): void {
  console.warn(JSON.stringify({ requestId, event: 'token.locked_out', reason: row.reason, failures: row.failures, lockedUntil: row.lockedUntil, clientId, address }));
}
