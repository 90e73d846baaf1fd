import { sql } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { AppConfig } from '../env.js';
import { openHttpDatabase, withWebSocketDatabase, type HttpDatabase, type WebSocketDatabase } from './client.js';

/** The role tenant work runs as: no ownership, no BYPASSRLS (migrations/0000_app_role.sql). */
export const appRole = 'sextortion_app';

export type TenantScope =
  | { level: 'platform' }
  | { level: 'unit'; unitCode: string }
  | { level: 'district'; unitCode: string; districtCode: string }
  | { level: 'station'; unitCode: string; stationCode: string };

type Statements = readonly [BatchItem<'pg'>, ...BatchItem<'pg'>[]];
export type WebSocketTransaction = Parameters<Parameters<WebSocketDatabase['transaction']>[0]>[0];

export interface TenantRunner {
  /**
   * The default path: the tenant context and the statements go to Postgres as one
   * transaction in one HTTP round trip. Returns each statement's result, in order.
   */
  batch<T extends Statements>(build: (db: HttpDatabase) => T): Promise<BatchResponse<T>>;
  /** For work that must branch on what it read: an interactive transaction over a WebSocket. */
  transaction<T>(work: (tx: WebSocketTransaction) => Promise<T>): Promise<T>;
}

export class UnknownTenancyError extends Error {}

/**
 * Its own statement, before anything that names the app schema: a login role with no
 * privileges of its own (NOINHERIT) gets them only once this has run, and Postgres checks
 * schema access when it parses a statement.
 */
const becomeAppRole = sql`select set_config('role', ${appRole}, true)`;

function enterTenantStatement(scope: TenantScope) {
  const unitCode = scope.level === 'platform' ? null : scope.unitCode;
  const districtCode = scope.level === 'district' ? scope.districtCode : null;
  const stationCode = scope.level === 'station' ? scope.stationCode : null;
  return sql`select app.enter_tenant(${scope.level}, ${unitCode}, ${districtCode}, ${stationCode}) as entered`;
}

function assertEntered(rows: Array<Record<string, unknown>>): void {
  if (rows[0]?.entered !== true) throw new UnknownTenancyError();
}

/**
 * The only way a handler reaches the database. Every transaction switches to the app role
 * and sets the caller's tenancy (transaction-local, bound parameters) before anything else,
 * so row-level security decides what each statement sees. `scope` null is for the few
 * unauthenticated reads (health): the app role with no tenant context sees no tenant rows.
 */
export function createTenantRunner(config: AppConfig, scope: TenantScope | null): TenantRunner {
  return {
    async batch(build) {
      const db = openHttpDatabase(config);
      const statements = build(db);
      if (!scope) {
        const [, ...results] = await db.batch([db.execute(becomeAppRole), ...statements]);
        return results as never;
      }
      const [, context, ...results] = await db.batch([db.execute(becomeAppRole), db.execute(enterTenantStatement(scope)), ...statements]);
      assertEntered(context.rows);
      return results as never;
    },
    transaction(work) {
      return withWebSocketDatabase(config, (db) =>
        db.transaction(async (tx) => {
          await tx.execute(becomeAppRole);
          if (scope) assertEntered((await tx.execute(enterTenantStatement(scope))).rows);
          return work(tx);
        }),
      );
    },
  };
}
