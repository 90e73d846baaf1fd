import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

/**
 * What the app role is allowed to do, read as the app role inside the runner's transaction:
 * whether it can bypass row-level security, and the latest migration applied.
 */
export function readDatabaseHealth(db: HttpDatabase) {
  return db.execute<{
    role: string;
    is_superuser: boolean;
    bypasses_rls: boolean;
    owns_tables: boolean;
    row_security: string;
    latest_migration: string | null;
  }>(sql`
    select current_user as role,
           r.rolsuper as is_superuser,
           r.rolbypassrls as bypasses_rls,
           exists (select 1 from pg_catalog.pg_tables t where t.schemaname = 'public' and t.tableowner = current_user) as owns_tables,
           current_setting('row_security') as row_security,
           app.latest_migration()::text as latest_migration
      from pg_catalog.pg_roles r
     where r.rolname = current_user`);
}
