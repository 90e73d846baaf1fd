-- Who sees and who works a case: its holders' stations and districts, and its unit (RLS helpers).
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.case_visible(p_unit_id uuid, p_holder_district_ids uuid[], p_holder_station_ids uuid[])
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$
  SELECT p_unit_id = app.current_unit_id()
     AND CASE app.current_scope()
           WHEN 'unit' THEN true
           WHEN 'district' THEN app.current_district_id() = ANY (p_holder_district_ids)
           WHEN 'station' THEN app.current_station_id() = ANY (p_holder_station_ids)
           ELSE false
         END
$function$;

CREATE OR REPLACE FUNCTION app.case_workable(p_unit_id uuid, p_district_id uuid, p_station_id uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$
  SELECT p_unit_id = app.current_unit_id()
     AND CASE app.current_scope()
           WHEN 'unit' THEN true
           WHEN 'district' THEN p_district_id = app.current_district_id()
           WHEN 'station' THEN p_station_id = app.current_station_id()
           ELSE false
         END
$function$;

CREATE OR REPLACE FUNCTION app.case_id_visible(p_case_id uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$
  SELECT EXISTS (SELECT 1 FROM public.cases c WHERE c.id = p_case_id)
$function$;

CREATE OR REPLACE FUNCTION app.case_id_workable(p_case_id uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$
  SELECT EXISTS (SELECT 1 FROM public.cases c WHERE c.id = p_case_id AND app.case_workable(c.unit_id, c.district_id, c.station_id))
$function$;
