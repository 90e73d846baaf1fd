import { sql } from 'drizzle-orm';
import type { DatabaseHealthReading } from '../../health/assess-health.js';
import type { HttpDatabase } from '../client.js';

/**
 * What the app role is allowed to do, read as the app role inside the runner's transaction,
 * and the same for the role the API logged in as (which a statement could switch back to);
 * and the latest migration applied.
 */
export function readDatabaseHealth(db: HttpDatabase) {
  return db.execute<DatabaseHealthReading>(sql`
    select current_user as "role",
           r.rolsuper as "isSuperuser",
           r.rolbypassrls as "bypassesRls",
           exists (select 1 from pg_catalog.pg_tables t where t.schemaname = 'public' and t.tableowner = current_user) as "ownsTables",
           current_setting('row_security') as "rowSecurity",
           app.latest_migration()::text as "latestMigration",
           l.login_role as "loginRole",
           l.is_superuser as "loginIsSuperuser",
           l.bypasses_rls as "loginBypassesRls",
           l.owns_tables as "loginOwnsTables",
           l.reads_tenant_data as "loginReadsTenantData",
           l.is_app_member as "loginIsAppMember"
      from pg_catalog.pg_roles r
      left join app.login_role_exposure() l on true
     where r.rolname = current_user`);
}
