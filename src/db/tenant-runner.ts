import { sql } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { AppConfig } from '../env.js';
import type { TenantScope } from '../tenancy/scope.js';
import { replayedRows, type Idempotency } from '../http/idempotency.js';
import { staleVersion } from '../http/etag.js';
import { notFound } from '../http/problem.js';
import { openHttpDatabase, withWebSocketDatabase, type HttpDatabase, type WebSocketDatabase } from './client.js';
import { rolledBackByServer, sqlStateOf, transientFailureOf, TransactionInterrupted } from './database-errors.js';
import { customSqlStates } from './sqlstates.js';

/** The role tenant work runs as: no ownership, no BYPASSRLS (migrations/0000_app_role.sql). */
export const appRole = 'sextortion_app';

type Statements = readonly [BatchItem<'pg'>, ...BatchItem<'pg'>[]];
type ResultStatement<R> = BatchItem<'pg'> & { _: { result: R } };
/**
 * One statement; several run in order whose last one carries the result; or several with the
 * one at `result` carrying it (a change followed by follow-ups, e.g. a checklist sync). The
 * result statement is the one that stores an Idempotency-Key's outcome.
 */
type Change<R> =
  | ResultStatement<R>
  | readonly [...BatchItem<'pg'>[], ResultStatement<R>]
  | { statements: readonly BatchItem<'pg'>[]; result: number; readonly resultType?: R };

/** A change whose result is its first statement, with statements that must follow it in the same transaction. */
export function followedBy<R>(result: ResultStatement<R>, ...followUps: BatchItem<'pg'>[]): Change<R> {
  return { statements: [result, ...followUps], result: 0 };
}
export type WebSocketTransaction = Parameters<Parameters<WebSocketDatabase['transaction']>[0]>[0];

export interface TenantRunner {
  /**
   * The default path: the tenant context and the statements go to Postgres as one
   * transaction in one HTTP round trip. Returns each statement's result, in order.
   */
  batch<T extends Statements>(build: (db: HttpDatabase) => T): Promise<BatchResponse<T>>;
  /**
   * One change under an Idempotency-Key: the key is claimed in the same transaction, and a
   * retry gets the stored rows of the first outcome instead of a second change (still one
   * round trip; two for a retry). Without a key, the same as batch().
   */
  change<R extends { rows: unknown[] }>(idempotency: Idempotency | undefined, build: (db: HttpDatabase) => Change<R>): Promise<R>;
  /**
   * An update under If-Match: the changed row (one round trip), or, when nothing changed, a
   * second look tells 412 (the object exists but changed) from 404 (it does not).
   */
  updateIfCurrent<R>(
    update: (db: HttpDatabase) => BatchItem<'pg'> & { _: { result: { rows: R[] } } },
    exists: (db: HttpDatabase) => BatchItem<'pg'> & { _: { result: { rows: unknown[] } } },
    what: string,
  ): Promise<R>;
  /** For work that must branch on what it read: an interactive transaction over a WebSocket. */
  transaction<T>(work: (tx: WebSocketTransaction) => Promise<T>): Promise<T>;
}

/**
 * Its own statement, before anything that names the app schema: a login role with no
 * privileges of its own (NOINHERIT) gets them only once this has run, and Postgres checks
 * schema access when it parses a statement.
 */
const becomeAppRole = sql`select set_config('role', ${appRole}, true)`;

/**
 * Clears whatever context a reused connection carries, then enters the caller's. Unknown or
 * non-nesting codes abort the transaction (customSqlStates.unknownTenancy) before any later statement runs.
 * The same statement bounds every later one (statement_timeout, transaction-local).
 */
function enterTenantStatement(scope: TenantScope | null, now: Date, timeoutMs: number) {
  const level = scope?.level ?? null;
  const unitCode = scope && scope.level !== 'platform' ? scope.unitCode : null;
  const districtCode = scope?.level === 'district' ? scope.districtCode : null;
  const stationCode = scope?.level === 'station' ? scope.stationCode : null;
  return sql`select app.enter_tenant(${level}, ${unitCode}, ${districtCode}, ${stationCode}) as entered,
                    set_config('app.now', ${now.toISOString()}, true) as now,
                    set_config('statement_timeout', ${String(Math.ceil(timeoutMs))}, true) as statement_timeout`;
}

/**
 * How long a runner's database work may take in all, counted from its first transaction, and
 * whether it only reads (then a transaction cut off by a dropped connection may run again).
 */
export interface DatabaseBound {
  timeoutMs: number;
  readOnly: boolean;
}

/** A request's bound: reads (GET, HEAD) get DATABASE_READ_TIMEOUT_MS, everything else DATABASE_WRITE_TIMEOUT_MS. */
export function requestBound(config: AppConfig, method: string): DatabaseBound {
  const readOnly = method === 'GET' || method === 'HEAD';
  return { readOnly, timeoutMs: readOnly ? config.DATABASE_READ_TIMEOUT_MS : config.DATABASE_WRITE_TIMEOUT_MS };
}

/** Past the bound, the runner stops waiting even if a transport did not: a little later than the transport's own timeout. */
const deadlineGraceMs = 500;
/** A retry needs some time left to be worth starting. */
const minimumRetryMs = 250;

/**
 * How a transaction reaches Postgres: the statements `build` makes (after the role switch and
 * the tenant context) run as one transaction; their results come back in order. Errors carry
 * the SQLSTATE as `code` (possibly under Drizzle's wrapper: see database-errors.ts). A transport
 * gives up after `timeoutMs`, and throws TransactionInterrupted when it knows more than the error
 * says (e.g. that the COMMIT was never sent).
 */
export interface Transport {
  run(build: (db: HttpDatabase) => BatchItem<'pg'>[], timeoutMs: number): Promise<unknown[]>;
  transaction<T>(work: (tx: WebSocketTransaction) => Promise<T>, timeoutMs: number): Promise<T>;
}

/** On Workers: one HTTP batch to Neon (one round trip), and a WebSocket for interactive transactions. */
function neonTransport(config: AppConfig): Transport {
  return {
    async run(build, timeoutMs) {
      // A timer of our own rather than AbortSignal.timeout(): cleared as soon as the batch answers.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
      try {
        const db = openHttpDatabase(config, abort.signal);
        return (await db.batch(build(db) as never)) as unknown[];
      } finally {
        clearTimeout(timer);
      }
    },
    transaction(work, timeoutMs) {
      return withWebSocketDatabase(
        config,
        async (db) => {
          let committing = false;
          try {
            return await db.transaction(async (tx) => {
              const result = await work(tx);
              committing = true;
              return result;
            });
          } catch (error) {
            const failure = transientFailureOf(error);
            if (!failure) throw error;
            throw new TransactionInterrupted(failure, committing && !rolledBackByServer(error), { cause: error });
          }
        },
        timeoutMs,
      );
    },
  };
}

let transportFor: (config: AppConfig) => Transport = neonTransport;

/** For hosts other than Workers (the Node entry on a Postgres it reaches directly). */
export function useTransport(factory: (config: AppConfig) => Transport): void {
  transportFor = factory;
}

/**
 * The only way a handler reaches the database. Every transaction switches to the app role
 * and sets the caller's tenancy (transaction-local, bound parameters) before anything else,
 * so row-level security decides what each statement sees. `scope` null is for the few
 * reads made before the caller is known (health, token lookups): no tenant rows are visible.
 * `now` is the request's clock: SQL reads it as app.now() (src/db/sql/clock.sql).
 *
 * `bound` limits the runner's database work (statement_timeout and the transports' own
 * timeouts; past it, a timed-out TransactionInterrupted, which answers 503). A transaction cut
 * off by a transient failure (src/db/database-errors.ts) runs once more when that cannot do harm:
 * the server rolled it back, it broke before its COMMIT was sent, the runner only reads, or the
 * change carries an Idempotency-Key claimed in the same transaction (a retry of a change that did
 * commit then finds the key and answers with the stored outcome). Timeouts are not retried.
 */
export function createTenantRunner(
  config: AppConfig,
  scope: TenantScope | null,
  now: Date = new Date(),
  bound: DatabaseBound = requestBound(config, 'POST'),
): TenantRunner {
  const transport = transportFor(config);
  let startedAt: number | undefined;
  const remainingMs = () => {
    startedAt ??= Date.now();
    return bound.timeoutMs - (Date.now() - startedAt);
  };

  async function bounded<T>(once: (timeoutMs: number) => Promise<T>, retryIsSafe: boolean): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const timeoutMs = remainingMs();
      if (timeoutMs <= 0) {
        throw new TransactionInterrupted('timed_out', false, { message: `this request's database work took more than ${bound.timeoutMs} ms` });
      }
      try {
        return await withinDeadline(once(timeoutMs), timeoutMs + deadlineGraceMs);
      } catch (error) {
        const failure = transientFailureOf(error);
        if (!failure) throw error;
        const interrupted = error instanceof TransactionInterrupted ? error : new TransactionInterrupted(failure, !rolledBackByServer(error), { cause: error });
        const harmless = !interrupted.mayHaveCommitted || retryIsSafe;
        if (attempt > 1 || failure === 'timed_out' || !harmless || remainingMs() < minimumRetryMs) throw interrupted;
      }
    }
  }

  const inTenant = async (build: (db: HttpDatabase) => BatchItem<'pg'>[], retryIsSafe = bound.readOnly) => {
    const [, , ...results] = await bounded(
      (timeoutMs) => transport.run((db) => [db.execute(becomeAppRole), db.execute(enterTenantStatement(scope, now, timeoutMs)), ...build(db)], timeoutMs),
      retryIsSafe,
    );
    return results;
  };
  return {
    async batch(build) {
      return (await inTenant((db) => [...build(db)])) as never;
    },
    async change(idempotency, build) {
      let resultIndex = 0;
      const statementsOf = (db: HttpDatabase) => {
        const built = build(db) as unknown;
        const { statements, result } =
          built && typeof built === 'object' && 'statements' in built
            ? (built as { statements: BatchItem<'pg'>[]; result: number })
            : { statements: (Array.isArray(built) ? built : [built]) as BatchItem<'pg'>[], result: -1 };
        resultIndex = result < 0 ? statements.length + result : result;
        return statements;
      };
      if (!idempotency) {
        const results = await inTenant((db) => statementsOf(db));
        return results[resultIndex] as never;
      }
      const claim = sql`select app.claim_idempotency_key(${idempotency.owner}, ${idempotency.key}, ${idempotency.fingerprint})`;
      const remembered = sql`select app.require_remembered(${idempotency.owner}, ${idempotency.key})`;
      try {
        const results = await inTenant((db) => [db.execute(claim), ...statementsOf(db), db.execute(remembered)], true);
        return results[1 + resultIndex] as never;
      } catch (error) {
        const code = sqlStateOf(error);
        // The change matched nothing, so the key was released with it: answer as without a key.
        if (code === customSqlStates.nothingChanged) return { rows: [] } as never;
        if (code !== customSqlStates.idempotencyKeyUsed) throw error;
      }
      const stored = sql`select fingerprint, result from app.idempotent_result(${idempotency.owner}, ${idempotency.key})`;
      const [{ rows }] = (await inTenant((db) => [db.execute<{ fingerprint: string; result: unknown[] | null }>(stored)], true)) as [
        { rows: Array<{ fingerprint: string; result: unknown[] | null }> },
      ];
      return { rows: replayedRows(idempotency, rows[0]) } as never;
    },
    async updateIfCurrent(update, exists, what) {
      const [{ rows }] = await this.batch((db) => [update(db)]);
      if (rows[0]) return rows[0];
      const [{ rows: current }] = await this.batch((db) => [exists(db)]);
      throw current[0] ? staleVersion() : notFound(what);
    },
    transaction(work) {
      return bounded(
        (timeoutMs) =>
          transport.transaction(async (tx) => {
            await tx.execute(becomeAppRole);
            await tx.execute(enterTenantStatement(scope, now, timeoutMs));
            return work(tx);
          }, timeoutMs),
        bound.readOnly,
      );
    },
  };
}

/** `work`, or a timed-out TransactionInterrupted once `ms` have passed, whichever comes first. */
function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransactionInterrupted('timed_out', true, { message: `the database did not answer within ${ms} ms` })), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
