-- Who reads and who writes an SOP layer (base, unit overlay, station additions).
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.sop_layer_visible(p_layer text, p_unit_id uuid, p_district_id uuid, p_station_id uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$
  SELECT CASE p_layer
           WHEN 'base' THEN app.current_scope() IS NOT NULL
           WHEN 'unit' THEN p_unit_id = app.current_unit_id()
           ELSE p_unit_id = app.current_unit_id() AND CASE app.current_scope()
             WHEN 'unit' THEN true
             WHEN 'district' THEN p_district_id = app.current_district_id()
             WHEN 'station' THEN p_station_id = app.current_station_id()
             ELSE false END
         END
$function$;

CREATE OR REPLACE FUNCTION app.sop_layer_writable(p_layer text, p_unit_id uuid, p_station_id uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$
  SELECT CASE p_layer
           WHEN 'base' THEN app.current_scope() = 'platform'
           WHEN 'unit' THEN app.current_scope() = 'unit' AND p_unit_id = app.current_unit_id()
           ELSE p_unit_id = app.current_unit_id()
                AND (app.current_scope() = 'unit' OR (app.current_scope() = 'station' AND p_station_id = app.current_station_id()))
         END
$function$;
