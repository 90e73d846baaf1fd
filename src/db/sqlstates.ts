/**
 * The SQLSTATEs this API's own SQL raises (src/db/sql/*.sql, RAISE … USING ERRCODE), named
 * once. The runner answers two of them itself; the error handler maps the rest to problems.
 */
export const customSqlStates = {
  /** app.enter_tenant(): the token names a unit, district or station that does not exist or does not nest. */
  unknownTenancy: 'SOP01',
  /** app.claim_idempotency_key(): the key was used before; the runner reads the stored outcome. */
  idempotencyKeyUsed: 'SOP02',
  /** app.claim_idempotency_key(): the first request with this key is still running. */
  idempotencyKeyInProgress: 'SOP03',
  /** app.require_remembered(): the change matched nothing, so the key was released with it. */
  nothingChanged: 'SOP04',
} as const;
