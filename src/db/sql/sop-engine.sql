-- The SOP engine: layers composed into steps, which steps apply to a case's facts, their
-- deadlines, and the checklist kept in line with the case (sync_case_steps).
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.resolved_steps(p_base jsonb, p_unit jsonb, p_station jsonb)
 RETURNS TABLE(key text, step jsonb, ord integer)
 LANGUAGE sql
 IMMUTABLE
AS $function$
  WITH base AS (
    SELECT s->>'key' AS key, s AS step, o::integer AS ord
      FROM jsonb_array_elements(coalesce(p_base->'steps', '[]')) WITH ORDINALITY AS x(s, o)
  ), unit AS (
    SELECT s->>'key' AS key, s AS step, 1000 + o::integer AS ord
      FROM jsonb_array_elements(coalesce(p_unit->'steps', '[]')) WITH ORDINALITY AS x(s, o)
  ), retired AS (
    SELECT jsonb_array_elements_text(coalesce(p_unit->'retire', '[]')) AS key
  ), merged AS (
    SELECT coalesce(b.key, u.key) AS key, coalesce(b.step, '{}') || coalesce(u.step, '{}') AS step, coalesce(b.ord, u.ord) AS ord
      FROM base b FULL JOIN unit u ON u.key = b.key
     WHERE NOT EXISTS (SELECT 1 FROM retired r WHERE r.key = coalesce(b.key, u.key))
  ), station AS (
    SELECT s->>'key' AS key, s AS step, 2000 + o::integer AS ord
      FROM jsonb_array_elements(coalesce(p_station->'steps', '[]')) WITH ORDINALITY AS x(s, o)
     WHERE NOT EXISTS (SELECT 1 FROM merged m WHERE m.key = s->>'key')
  )
  SELECT key, step, ord FROM merged
  UNION ALL
  SELECT key, step, ord FROM station
$function$;

CREATE OR REPLACE FUNCTION app.sop_in_force(p_unit_id uuid, p_station_id uuid)
 RETURNS TABLE(base_id uuid, unit_id uuid, station_id uuid)
 LANGUAGE sql
 STABLE
AS $function$
  SELECT (SELECT v.id FROM public.sop_versions v WHERE v.layer = 'base' AND v.status = 'published' ORDER BY v.number DESC LIMIT 1),
         (SELECT v.id FROM public.sop_versions v WHERE v.layer = 'unit' AND v.unit_id = p_unit_id AND v.status = 'published' ORDER BY v.number DESC LIMIT 1),
         (SELECT v.id FROM public.sop_versions v WHERE v.layer = 'station' AND v.station_id = p_station_id AND v.status = 'published' ORDER BY v.number DESC LIMIT 1)
$function$;

CREATE OR REPLACE FUNCTION app.pinned_sop_versions(p_base_id uuid, p_unit_id uuid, p_station_id uuid)
 RETURNS TABLE(layer text, id uuid, number integer, body jsonb)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT v.layer, v.id, v.number, v.body FROM public.sop_versions v
   WHERE v.id IN (p_base_id, p_unit_id, p_station_id) AND v.status = 'published'
     AND (v.layer = 'base' OR v.unit_id = nullif(current_setting('app.unit_id', true), '')::uuid)
$function$;

CREATE OR REPLACE FUNCTION app.provision_time_limit(p_code text, p_at timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
 STABLE
AS $function$
  SELECT time_limit_minutes FROM public.legal_provisions
   WHERE code = p_code AND effective_from <= p_at AND (effective_to IS NULL OR effective_to > p_at)
   ORDER BY effective_from DESC LIMIT 1
$function$;

CREATE OR REPLACE FUNCTION app.step_applies(p_conditions jsonb, p_minor boolean, p_paid boolean, p_circulated boolean, p_platforms text[])
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT (p_conditions->'victimIsMinor' IS NULL OR (p_conditions->>'victimIsMinor')::boolean = p_minor)
     AND (p_conditions->'moneyPaid' IS NULL OR (p_conditions->>'moneyPaid')::boolean = p_paid)
     AND (p_conditions->'imagesCirculated' IS NULL OR (p_conditions->>'imagesCirculated')::boolean = p_circulated)
     AND (p_conditions->'platformInvolved' IS NULL OR (p_conditions->>'platformInvolved')::boolean = (cardinality(p_platforms) > 0))
     AND (p_conditions->'platforms' IS NULL
          OR p_platforms && ARRAY(SELECT jsonb_array_elements_text(p_conditions->'platforms')))
$function$;

CREATE OR REPLACE FUNCTION app.sync_case_steps(p_case_id uuid)
 RETURNS TABLE(case_id uuid, unit_id uuid, step_key text, change text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_case record;
BEGIN
  SELECT c.id, c.unit_id, c.district_id, c.station_id, c.status, c.reported_at, c.victim_is_minor,
         c.amount_paid > 0 OR EXISTS (SELECT 1 FROM public.case_payments p WHERE p.case_id = c.id) AS paid,
         c.images_circulated, c.images_circulated_at, c.platforms,
         (SELECT v.body FROM app.pinned_sop_versions(c.sop_base_id, c.sop_unit_id, c.sop_station_id) v WHERE v.layer = 'base') AS base_body,
         (SELECT v.body FROM app.pinned_sop_versions(c.sop_base_id, c.sop_unit_id, c.sop_station_id) v WHERE v.layer = 'unit') AS unit_body,
         (SELECT v.body FROM app.pinned_sop_versions(c.sop_base_id, c.sop_unit_id, c.sop_station_id) v WHERE v.layer = 'station') AS station_body,
         (SELECT min(p.paid_at) FROM public.case_payments p WHERE p.case_id = c.id) AS first_paid_at
    INTO v_case
    FROM public.cases c
   WHERE c.id = p_case_id AND app.case_workable(c.unit_id, c.district_id, c.station_id);
  IF NOT FOUND OR v_case.status = 'closed' OR v_case.base_body IS NULL THEN
    RETURN;
  END IF;

  RETURN QUERY
  WITH steps AS (
    SELECT r.key, r.step,
           app.step_applies(r.step->'conditions', v_case.victim_is_minor, v_case.paid, v_case.images_circulated, v_case.platforms) AS applies,
           CASE r.step->'trigger'->>'event'
             WHEN 'case_reported' THEN v_case.reported_at
             WHEN 'payment_made' THEN v_case.first_paid_at
             WHEN 'content_circulated' THEN v_case.images_circulated_at
             WHEN 'step_completed' THEN (SELECT cs.closed_at FROM public.case_steps cs
                                          WHERE cs.case_id = p_case_id AND cs.step_key = r.step->'trigger'->>'step' AND cs.status = 'done')
           END AS triggered_at
      FROM app.resolved_steps(v_case.base_body, v_case.unit_body, v_case.station_body) r
  ), timed AS (
    SELECT steps.*,
           triggered_at + make_interval(mins => coalesce(app.provision_time_limit(step->'deadline'->>'provision', triggered_at),
                                                         (step->'deadline'->>'minutes')::integer)) AS due_at
      FROM steps
  ), added AS (
    INSERT INTO public.case_steps AS cs (case_id, unit_id, district_id, station_id, step_key, definition_key, definition, owner_role, kind, triggered_at, due_at, next_escalation_at)
    SELECT v_case.id, v_case.unit_id, v_case.district_id, v_case.station_id, t.key, t.key, t.step, t.step->>'ownerRole', t.step->>'kind', t.triggered_at, t.due_at,
           t.due_at + make_interval(mins => (t.step->'escalation'->0->>'afterMinutes')::integer)
      FROM timed t
     WHERE t.applies AND t.triggered_at IS NOT NULL AND t.due_at IS NOT NULL
    ON CONFLICT ON CONSTRAINT case_steps_case_key_unique DO NOTHING
    RETURNING cs.step_key
  ), retired AS (
    UPDATE public.case_steps cs
       SET status = 'retired', next_escalation_at = NULL, closed_at = app.now(), reason = 'its conditions no longer hold', updated_at = app.now(),
           version = cs.version + 1
     WHERE cs.case_id = p_case_id AND cs.status = 'pending'
       AND NOT EXISTS (SELECT 1 FROM timed t WHERE t.key = cs.step_key AND t.applies)
    RETURNING cs.step_key
  ), revived AS (
    UPDATE public.case_steps cs
       SET status = 'pending', closed_at = NULL, reason = NULL, updated_at = app.now(), version = cs.version + 1,
           next_escalation_at = CASE WHEN cs.escalation_level < jsonb_array_length(coalesce(cs.definition->'escalation', '[]'))
             THEN cs.due_at + make_interval(mins => (cs.definition->'escalation'->cs.escalation_level->>'afterMinutes')::integer) END
     WHERE cs.case_id = p_case_id AND cs.status = 'retired'
       AND EXISTS (SELECT 1 FROM timed t WHERE t.key = cs.step_key AND t.applies)
    RETURNING cs.step_key
  )
  SELECT v_case.id, v_case.unit_id, a.step_key, 'added' FROM added a
  UNION ALL SELECT v_case.id, v_case.unit_id, r.step_key, 'retired' FROM retired r
  UNION ALL SELECT v_case.id, v_case.unit_id, v.step_key, 'revived' FROM revived v;
END
$function$;
