import { sql, type SQL } from 'drizzle-orm';
import type { TokenFailureLimits } from '../../rate-limits/settings.js';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';

export type TokenLockRow = { key: string; retryAfter: number };

/** The keys among these that are locked now, with the seconds left (by the database's clock). */
export function readTokenLocks(db: HttpDatabase, keys: string[]) {
  return db.execute<TokenLockRow>(sql`
    select key, ceil(extract(epoch from locked_until - now()))::int as "retryAfter"
      from token_failures
     where key = any(${`{${keys.map((key) => `"${key.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]) and locked_until > now()`);
}

export type TokenFailureRow = { reason: 'client' | 'address'; key: string; failures: number; lockedUntil: string };

/**
 * One more failure for each key, in a window that opens with the first failure and starts over once
 * it has passed or a lock has ended; reaching the threshold locks the key. Returns the keys this
 * failure locked.
 */
function countFailure(key: string, threshold: number, limits: TokenFailureLimits): SQL {
  const window = sql`make_interval(secs => ${limits.windowSeconds})`;
  const lock = sql`make_interval(secs => ${limits.lockSeconds})`;
  const startsOver = sql`(f.window_started_at <= now() - ${window} or coalesce(f.locked_until <= now(), false))`;
  const failures = sql`(case when ${startsOver} then 1 else f.failures + 1 end)`;
  const locking = sql`((f.locked_until is null or f.locked_until <= now()) and ${failures} >= ${threshold})`;
  return sql`
      insert into token_failures as f (key, failures, window_started_at, locked_at, locked_until)
      values (${key}, 1, now(), case when 1 >= ${threshold} then now() end, case when 1 >= ${threshold} then now() + ${lock} end)
      on conflict (key) do update set
        failures = ${failures},
        window_started_at = case when ${startsOver} then now() else f.window_started_at end,
        locked_at = case when ${locking} then now() when ${startsOver} then null else f.locked_at end,
        locked_until = case when ${locking} then now() + ${lock} when ${startsOver} then null else f.locked_until end,
        updated_at = now()
      returning f.key, f.failures, f.locked_at = now() as "justLocked", f.locked_until as "lockedUntil"`;
}

export interface TokenFailure {
  /** `client:<client_id>` when the request named a well-formed client_id. */
  clientKey?: string;
  /** `address:<partition>` when the source address is known. */
  addressKey?: string;
  limits: TokenFailureLimits;
  /** For a client that exists: the lock is audited in its unit (the transaction runs in that unit's context). */
  audit?: { actor: AuditActor; unitCode: string; clientId: string; address?: string };
}

export function recordTokenFailure(db: HttpDatabase, failure: TokenFailure) {
  const { clientKey, addressKey, limits, audit } = failure;
  const parts: SQL[] = [];
  if (clientKey) parts.push(sql`select 'client' as reason, * from client_failure`);
  if (addressKey) parts.push(sql`select 'address' as reason, * from address_failure`);
  const counted = sql`with ${sql.join(
    [
      ...(clientKey ? [sql`client_failure as (${countFailure(clientKey, limits.perClient, limits)})`] : []),
      ...(addressKey ? [sql`address_failure as (${countFailure(addressKey, limits.perAddress, limits)})`] : []),
      sql`failed as (${sql.join(parts, sql` union all `)})`,
    ],
    sql`, `,
  )}`;
  if (!audit) {
    return db.execute<TokenFailureRow>(sql`${counted}
      select reason, key, failures, "lockedUntil" from failed where "justLocked"`);
  }
  return db.execute<TokenFailureRow>(sql`${counted}, changed as (
      select u.id as unit_id, ${audit.clientId}::text as "clientId", failed.reason, failed.key, failed.failures, failed."lockedUntil"
        from failed cross join units u
       where u.code = ${audit.unitCode} and failed."justLocked"
    )${auditChangedRows(audit.actor, {
      action: 'client.locked_out',
      targetType: 'client',
      targetColumn: 'clientId',
      changes: sql`jsonb_build_object('reason', changed.reason, 'failures', changed.failures, 'lockedUntil', changed."lockedUntil",
        'windowSeconds', ${limits.windowSeconds}::int, 'lockSeconds', ${limits.lockSeconds}::int, 'address', ${audit.address ?? null}::text)`,
    })}`);
}

/** Counts untouched for a day whose lock (if any) has ended: nothing left to decide with them. At most `limit` a run. */
export function purgeTokenFailures(db: HttpDatabase, limit: number) {
  return db.execute<{ purged: number }>(sql`
    with purged as (
      delete from token_failures where key in (
        select key from token_failures
         where updated_at < now() - interval '1 day' and (locked_until is null or locked_until < now())
         order by updated_at limit ${limit})
      returning 1
    )
    select count(*)::int as purged from purged`);
}
