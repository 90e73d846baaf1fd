-- Tenant context: set per transaction by app.enter_tenant() from the verified caller.
-- An unset setting reads NULL or '' (on a reused connection), so every reader goes through
-- nullif(): a missing context matches no row.
CREATE SCHEMA IF NOT EXISTS app;
--> statement-breakpoint
GRANT USAGE ON SCHEMA app TO sextortion_app;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO sextortion_app;
--> statement-breakpoint
CREATE FUNCTION app.current_scope() RETURNS text LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.scope', true), '') $$;
--> statement-breakpoint
CREATE FUNCTION app.current_unit_id() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.unit_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app.current_district_id() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.district_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app.current_station_id() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.station_id', true), '')::uuid $$;
--> statement-breakpoint
-- Resolves the caller's tenancy codes (from the verified token) to ids and sets them for
-- the current transaction only. Codes that do not exist, or do not nest (a station of
-- another unit), set no context at all, so the caller sees nothing. Returns whether a
-- context was entered.
CREATE FUNCTION app.enter_tenant(p_scope text, p_unit_code text, p_district_code text, p_station_code text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
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

  IF p_scope = 'platform' THEN
    PERFORM set_config('app.scope', 'platform', true);
    RETURN true;
  END IF;

  SELECT id INTO v_unit_id FROM public.units WHERE code = p_unit_code;
  IF v_unit_id IS NULL THEN
    RETURN false;
  END IF;

  IF p_scope = 'district' THEN
    SELECT id INTO v_district_id FROM public.districts
      WHERE code = p_district_code AND unit_id = v_unit_id;
    IF v_district_id IS NULL THEN
      RETURN false;
    END IF;
  ELSIF p_scope = 'station' THEN
    SELECT id, district_id INTO v_station_id, v_district_id FROM public.stations
      WHERE code = p_station_code AND unit_id = v_unit_id;
    IF v_station_id IS NULL THEN
      RETURN false;
    END IF;
  ELSIF p_scope IS DISTINCT FROM 'unit' THEN
    RETURN false;
  END IF;

  PERFORM set_config('app.scope', p_scope, true),
          set_config('app.unit_id', v_unit_id::text, true),
          set_config('app.district_id', coalesce(v_district_id::text, ''), true),
          set_config('app.station_id', coalesce(v_station_id::text, ''), true);
  RETURN true;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.enter_tenant(text, text, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.enter_tenant(text, text, text, text) TO sextortion_app;
--> statement-breakpoint
-- What GET /health reads: the latest applied migration, without granting the app role
-- access to the migrator's own schema.
CREATE FUNCTION app.latest_migration() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
AS $$ SELECT max(created_at)::bigint FROM drizzle.__drizzle_migrations $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.latest_migration() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.latest_migration() TO sextortion_app;
--> statement-breakpoint
GRANT SELECT ON units, districts, stations TO sextortion_app;
--> statement-breakpoint
GRANT INSERT, UPDATE ON districts, stations TO sextortion_app;
--> statement-breakpoint
GRANT INSERT, UPDATE ON units TO sextortion_app;
--> statement-breakpoint
ALTER TABLE units ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE units FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE districts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE districts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE stations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE stations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The platform administrator sees and creates units; everyone else sees only their own.
CREATE POLICY units_read ON units FOR SELECT TO sextortion_app
USING (
  app.current_scope() = 'platform'
  OR (app.current_scope() IN ('unit', 'district', 'station') AND id = app.current_unit_id())
);
--> statement-breakpoint
CREATE POLICY units_create ON units FOR INSERT TO sextortion_app
WITH CHECK (app.current_scope() = 'platform');
--> statement-breakpoint
CREATE POLICY units_update ON units FOR UPDATE TO sextortion_app
USING (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND id = app.current_unit_id()))
WITH CHECK (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND id = app.current_unit_id()));
--> statement-breakpoint
CREATE POLICY districts_read ON districts FOR SELECT TO sextortion_app
USING (
  app.current_scope() = 'platform'
  OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id())
  OR (app.current_scope() IN ('district', 'station') AND unit_id = app.current_unit_id() AND id = app.current_district_id())
);
--> statement-breakpoint
CREATE POLICY districts_write ON districts FOR INSERT TO sextortion_app
WITH CHECK (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()));
--> statement-breakpoint
CREATE POLICY districts_update ON districts FOR UPDATE TO sextortion_app
USING (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()))
WITH CHECK (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()));
--> statement-breakpoint
CREATE POLICY stations_read ON stations FOR SELECT TO sextortion_app
USING (
  app.current_scope() = 'platform'
  OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id())
  OR (app.current_scope() = 'district' AND unit_id = app.current_unit_id() AND district_id = app.current_district_id())
  OR (app.current_scope() = 'station' AND unit_id = app.current_unit_id() AND id = app.current_station_id())
);
--> statement-breakpoint
CREATE POLICY stations_write ON stations FOR INSERT TO sextortion_app
WITH CHECK (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()));
--> statement-breakpoint
CREATE POLICY stations_update ON stations FOR UPDATE TO sextortion_app
USING (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()))
WITH CHECK (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()));
--> statement-breakpoint
-- app.enter_tenant() reads the tenancy tables as the migrating role before any context
-- exists. FORCE applies row-level security to that role too (unless it is a superuser), so
-- it is given read access to these three tables only; tables holding case data get no such
-- policy.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY units_tenant_resolver ON units FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY districts_tenant_resolver ON districts FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY stations_tenant_resolver ON stations FOR SELECT TO %I USING (true)', current_user);
END
$$;
