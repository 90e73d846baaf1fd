import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

/**
 * What the app role is allowed to do, read as the app role inside the runner's transaction:
 * whether it can bypass row-level security, and the latest migration applied.
 */
export function readDatabaseHealth(db: HttpDatabase) {
  return db.execute<{
    role: string;
    isSuperuser: boolean;
    bypassesRls: boolean;
    ownsTables: boolean;
    rowSecurity: string;
    latestMigration: string | null;
  }>(sql`
    select current_user as "role",
           r.rolsuper as "isSuperuser",
           r.rolbypassrls as "bypassesRls",
           exists (select 1 from pg_catalog.pg_tables t where t.schemaname = 'public' and t.tableowner = current_user) as "ownsTables",
           current_setting('row_security') as "rowSecurity",
           app.latest_migration()::text as "latestMigration"
      from pg_catalog.pg_roles r
     where r.rolname = current_user`);
}
