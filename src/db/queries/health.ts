import { sql } from 'drizzle-orm';
import type { DatabaseHealthReading } from '../../health/assess-health.js';
import type { HttpDatabase } from '../client.js';

/**
 * What the app role is allowed to do, read as the app role inside the runner's transaction,
 * and the same for the role the API logged in as (which a statement could switch back to);
 * the latest migration applied, and when the minute sweep's jobs last ran.
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
           l.is_app_member as "loginIsAppMember",
           (select json_agg(json_build_object('job', s.job, 'startedAt', s.started_at, 'finishedAt', s.finished_at, 'outcome', s.outcome, 'detail', s.detail))
              from app.scheduler_runs() s) as "schedulerRuns"
      from pg_catalog.pg_roles r
      left join app.login_role_exposure() l on true
     where r.rolname = current_user`);
}

/** A job of the minute sweep has run: when, and how it ended (app.record_scheduler_run). */
export function recordSchedulerRun(db: HttpDatabase, run: { job: string; startedAt: Date; finishedAt: Date; outcome: 'ok' | 'failed'; detail: string | null }) {
  return db.execute(sql`
    select app.record_scheduler_run(${run.job}, ${run.startedAt.toISOString()}::timestamptz, ${run.finishedAt.toISOString()}::timestamptz, ${run.outcome}, ${run.detail})`);
}
