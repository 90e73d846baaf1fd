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

function enterTenantStatement(scope: TenantScope | null) {
  if (!scope) return sql`select set_config('role', ${appRole}, true) as role, false as entered`;
  const unitCode = scope.level === 'platform' ? null : scope.unitCode;
  const districtCode = scope.level === 'district' ? scope.districtCode : null;
  const stationCode = scope.level === 'station' ? scope.stationCode : null;
  return sql`select set_config('role', ${appRole}, true) as role,
    app.enter_tenant(${scope.level}, ${unitCode}, ${districtCode}, ${stationCode}) as entered`;
}

function assertEntered(scope: TenantScope | null, rows: Array<Record<string, unknown>>): void {
  if (scope && rows[0]?.entered !== true) throw new UnknownTenancyError();
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
      const [context, ...results] = await db.batch([db.execute(enterTenantStatement(scope)), ...build(db)]);
      assertEntered(scope, context.rows);
      return results as never;
    },
    transaction(work) {
      return withWebSocketDatabase(config, (db) =>
        db.transaction(async (tx) => {
          const context = await tx.execute(enterTenantStatement(scope));
          assertEntered(scope, context.rows);
          return work(tx);
        }),
      );
    },
  };
}
