-- The tenant context of a transaction: enter_tenant() sets it from the verified token (bound
-- parameters, transaction-local); row-level security reads it through the current_* functions.
-- A missing or stale context sees nothing. Onboarding remembers the unit the platform creates.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.current_scope()
 RETURNS text
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.scope', true), '') $function$;

CREATE OR REPLACE FUNCTION app.current_unit_id()
 RETURNS uuid
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.unit_id', true), '')::uuid $function$;

CREATE OR REPLACE FUNCTION app.current_district_id()
 RETURNS uuid
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.district_id', true), '')::uuid $function$;

CREATE OR REPLACE FUNCTION app.current_station_id()
 RETURNS uuid
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.station_id', true), '')::uuid $function$;

CREATE OR REPLACE FUNCTION app.enter_tenant(p_scope text, p_unit_code text, p_district_code text, p_station_code text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_unit_id uuid;
  v_district_id uuid;
  v_station_id uuid;
BEGIN
  PERFORM set_config('app.scope', '', true),
          set_config('app.unit_id', '', true),
          set_config('app.district_id', '', true),
          set_config('app.station_id', '', true),
          set_config('app.onboarding_unit_id', '', true);
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
$function$;

CREATE OR REPLACE FUNCTION app.onboarding_unit_id()
 RETURNS uuid
 LANGUAGE sql
 STABLE
AS $function$ SELECT nullif(current_setting('app.onboarding_unit_id', true), '')::uuid $function$;

CREATE OR REPLACE FUNCTION app.remember_onboarded_unit()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  PERFORM set_config('app.onboarding_unit_id', NEW.id::text, true);
  RETURN NEW;
END
$function$;

CREATE OR REPLACE TRIGGER units_remember_onboarded BEFORE INSERT ON public.units FOR EACH ROW EXECUTE FUNCTION app.remember_onboarded_unit();

-- The sweeps run as the scheduler, without a tenant: a request's transaction (any tenant context) may not sweep.
CREATE OR REPLACE FUNCTION app.refuse_inside_tenant_context()
 RETURNS void
 LANGUAGE plpgsql
 STABLE
AS $function$
BEGIN
  IF nullif(current_setting('app.scope', true), '') IS NOT NULL THEN
    RAISE EXCEPTION 'the sweep runs outside any tenant context' USING ERRCODE = '42501';
  END IF;
END
$function$;
