-- What /health reports: the latest migration, and whether the login or app role can bypass RLS.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.latest_migration()
 RETURNS bigint
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$ SELECT max(created_at)::bigint FROM drizzle.__drizzle_migrations $function$;

CREATE OR REPLACE FUNCTION app.login_role_exposure()
 RETURNS TABLE(login_role text, is_superuser boolean, bypasses_rls boolean, owns_tables boolean, reads_tenant_data boolean, is_app_member boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT r.rolname::text, r.rolsuper, r.rolbypassrls,
         EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = r.rolname),
         has_table_privilege(r.oid, 'public.stations', 'SELECT'),
         pg_has_role(r.oid, 'sextortion_app', 'MEMBER')
    FROM pg_roles r
   WHERE r.rolname = session_user
$function$;
