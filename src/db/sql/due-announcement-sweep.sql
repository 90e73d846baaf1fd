-- The minute sweep's announcements of pending steps: step.due_soon once a step is due within the
-- hour, step.overdue once its deadline has passed; each at most once a step (case_steps.due_announced).
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.announce_due_steps(p_now timestamp with time zone, p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_count integer;
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  WITH due AS (
    SELECT s.id, s.case_id, s.unit_id, s.district_id, s.station_id, s.step_key, s.owner_role, s.due_at,
           CASE WHEN s.due_at <= p_now THEN 'overdue' ELSE 'due_soon' END AS announcement
      FROM public.case_steps s
     WHERE s.status = 'pending' AND s.due_announced IS DISTINCT FROM 'overdue' AND s.due_at <= p_now + interval '1 hour'
       AND s.due_announced IS DISTINCT FROM (CASE WHEN s.due_at <= p_now THEN 'overdue' ELSE 'due_soon' END)
     ORDER BY s.due_at, s.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), announced AS (
    UPDATE public.case_steps s SET due_announced = d.announcement
      FROM due d WHERE s.id = d.id
    RETURNING s.id
  ), events AS (
    INSERT INTO public.integration_events (unit_id, type, case_id, district_id, station_id, payload, occurred_at)
    SELECT d.unit_id, 'step.' || d.announcement, d.case_id, d.district_id, d.station_id,
           jsonb_build_object('caseId', d.case_id, 'caseStepId', d.id, 'stepKey', d.step_key, 'ownerRole', d.owner_role, 'dueAt', d.due_at,
                              'districtId', d.district_id, 'stationId', d.station_id), p_now
      FROM due d
    RETURNING 1
  )
  SELECT count(*) FROM announced INTO v_count;
  RETURN v_count;
END
$function$;

GRANT EXECUTE ON FUNCTION app.announce_due_steps(timestamp with time zone, integer) TO sextortion_app;
