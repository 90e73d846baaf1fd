-- Tenancy codes nest (MH, MH-PUNE, MH-PUNE-SHIVAJINAGAR) and name places inside the caller's unit.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.require_nested_code()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION app.station_in_current_unit(p_code text)
 RETURNS TABLE(id uuid, district_id uuid, code text, name text, is_cyber_crime_station boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT s.id, s.district_id, s.code, s.name, s.is_cyber_crime_station FROM public.stations s
   WHERE s.code = p_code
     AND s.unit_id = nullif(current_setting('app.unit_id', true), '')::uuid
     AND nullif(current_setting('app.scope', true), '') IN ('unit', 'district', 'station')
$function$;

CREATE OR REPLACE FUNCTION app.district_in_current_unit(p_code text)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT d.id FROM public.districts d
   WHERE d.code = p_code
     AND d.unit_id = nullif(current_setting('app.unit_id', true), '')::uuid
     AND nullif(current_setting('app.scope', true), '') IN ('unit', 'district', 'station')
$function$;

CREATE OR REPLACE TRIGGER districts_code_nested BEFORE INSERT ON public.districts FOR EACH ROW EXECUTE FUNCTION app.require_nested_code();

CREATE OR REPLACE TRIGGER stations_code_nested BEFORE INSERT ON public.stations FOR EACH ROW EXECUTE FUNCTION app.require_nested_code();
