-- Tenancy codes are what tokens name, so they never change once created, nest under their
-- parent's code, and a unit's code is one segment (no unit can squat another's prefix).
ALTER TABLE units ADD CONSTRAINT units_code_single_segment CHECK (code ~ '^[A-Z][A-Z0-9]*$');
--> statement-breakpoint
REVOKE UPDATE ON units, districts, stations, identity_providers, integration_clients FROM sextortion_app;
--> statement-breakpoint
GRANT UPDATE (name, updated_at) ON units TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (name, kind, updated_at) ON districts TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (name, is_cyber_crime_station, updated_at) ON stations TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (audience, jwks_uri, jwks, algorithms, roles_claim, district_claim, station_claim, updated_at) ON identity_providers TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (name, scopes, disabled_at, secret_hash, updated_at) ON integration_clients TO sextortion_app;
--> statement-breakpoint
CREATE FUNCTION app.require_nested_code() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_parent_code text;
BEGIN
  IF TG_TABLE_NAME = 'districts' THEN
    SELECT code INTO v_parent_code FROM public.units WHERE id = NEW.unit_id;
  ELSE
    SELECT code INTO v_parent_code FROM public.districts WHERE id = NEW.district_id;
  END IF;
  IF v_parent_code IS NULL OR left(NEW.code, length(v_parent_code) + 1) <> v_parent_code || '-' THEN
    RAISE EXCEPTION 'code % does not start with its parent''s code %-', NEW.code, v_parent_code
      USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_code_nested';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER districts_code_nested BEFORE INSERT ON districts FOR EACH ROW EXECUTE FUNCTION app.require_nested_code();
--> statement-breakpoint
CREATE TRIGGER stations_code_nested BEFORE INSERT ON stations FOR EACH ROW EXECUTE FUNCTION app.require_nested_code();
--> statement-breakpoint
-- The runner calls this first in every transaction. It always clears any context left on a
-- reused connection; with a scope it resolves the caller's codes, and aborts the whole
-- transaction (SQLSTATE SOP01) when they do not exist or do not nest, before any statement
-- of the request runs. A NULL scope clears the context and enters none.
CREATE OR REPLACE FUNCTION app.enter_tenant(p_scope text, p_unit_code text, p_district_code text, p_station_code text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_unit_id uuid;
  v_district_id uuid;
  v_station_id uuid;
BEGIN
  PERFORM set_config('app.scope', '', true),
          set_config('app.unit_id', '', true),
          set_config('app.district_id', '', true),
          set_config('app.station_id', '', true);
  IF p_scope IS NULL THEN
    RETURN false;
  END IF;
  IF p_scope = 'platform' THEN
    PERFORM set_config('app.scope', 'platform', true);
    RETURN true;
  END IF;

  SELECT id INTO v_unit_id FROM public.units WHERE code = p_unit_code;
  IF v_unit_id IS NOT NULL AND p_scope = 'district' THEN
    SELECT id INTO v_district_id FROM public.districts WHERE code = p_district_code AND unit_id = v_unit_id;
  ELSIF v_unit_id IS NOT NULL AND p_scope = 'station' THEN
    SELECT id, district_id INTO v_station_id, v_district_id FROM public.stations WHERE code = p_station_code AND unit_id = v_unit_id;
  END IF;
  IF v_unit_id IS NULL
     OR p_scope NOT IN ('unit', 'district', 'station')
     OR (p_scope = 'district' AND v_district_id IS NULL)
     OR (p_scope = 'station' AND v_station_id IS NULL) THEN
    RAISE EXCEPTION 'unknown tenancy' USING ERRCODE = 'SOP01';
  END IF;

  PERFORM set_config('app.scope', p_scope, true),
          set_config('app.unit_id', v_unit_id::text, true),
          set_config('app.district_id', coalesce(v_district_id::text, ''), true),
          set_config('app.station_id', coalesce(v_station_id::text, ''), true);
  RETURN true;
END
$$;
--> statement-breakpoint
ALTER FUNCTION app.latest_migration() SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION app.chain_audit_event() SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION app.identity_provider(text) SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION app.integration_client(text) SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
-- What GET /health asks about the role the API logged in as (session_user), which tenant
-- work can always switch back to: it must be unable to read tenant data by itself.
CREATE FUNCTION app.login_role_exposure() RETURNS TABLE (login_role text, is_superuser boolean, bypasses_rls boolean, owns_tables boolean, reads_tenant_data boolean, is_app_member boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT r.rolname::text, r.rolsuper, r.rolbypassrls,
         EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = r.rolname),
         has_table_privilege(r.oid, 'public.stations', 'SELECT'),
         pg_has_role(r.oid, 'sextortion_app', 'MEMBER')
    FROM pg_roles r
   WHERE r.rolname = session_user
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.login_role_exposure() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.login_role_exposure() TO sextortion_app;
