-- The SOP engine: layers composed into steps, which steps apply to a case's facts, their
-- deadlines, the acts that complete them, and the checklist kept in line with the case
-- (sync_case_steps for a request, build_case_steps for the sweeps).
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

-- Before the facts came as one object, step_applies took them one by one.
DROP FUNCTION IF EXISTS app.step_applies(jsonb, boolean, boolean, boolean, text[]);

CREATE OR REPLACE FUNCTION app.step_applies(p_conditions jsonb, p_facts jsonb, p_platform text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT (p_conditions->'victimIsMinor' IS NULL OR (p_conditions->>'victimIsMinor')::boolean = (p_facts->>'victimIsMinor')::boolean)
     AND (p_conditions->'moneyPaid' IS NULL OR (p_conditions->>'moneyPaid')::boolean = (p_facts->>'moneyPaid')::boolean)
     AND (p_conditions->'imagesCirculated' IS NULL OR (p_conditions->>'imagesCirculated')::boolean = (p_facts->>'imagesCirculated')::boolean)
     AND (p_conditions->'platformInvolved' IS NULL OR (p_conditions->>'platformInvolved')::boolean = (jsonb_array_length(p_facts->'platforms') > 0))
     AND (p_conditions->'riskToLife' IS NULL OR (p_conditions->>'riskToLife')::boolean = (p_facts->>'riskToLife')::boolean)
     AND (p_conditions->'firRegistered' IS NULL OR (p_conditions->>'firRegistered')::boolean = (p_facts->>'firRegistered')::boolean)
     AND (p_conditions->'platforms' IS NULL
          OR CASE WHEN p_platform IS NULL THEN p_facts->'platforms' ?| ARRAY(SELECT jsonb_array_elements_text(p_conditions->'platforms'))
                  ELSE p_conditions->'platforms' ? p_platform END)
$function$;

-- The checklist of a case brought in line with its facts, without asking who calls: the sweeps
-- call it as the owner; a request calls app.sync_case_steps, which checks the caller works the case.
-- The pinned SOP layers come through app.pinned_sop_versions for a request (a transferred case
-- keeps the reporting station's layer), or straight from the table for the owner.
-- First the acts already done complete their steps (an FIR reference, a request sent to the
-- platform, ...), then steps are added, retired or revived, so a step released by a completion
-- appears in the same call.
CREATE OR REPLACE FUNCTION app.build_case_steps(p_case_id uuid)
 RETURNS TABLE(case_id uuid, unit_id uuid, step_key text, change text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_case record;
  v_facts jsonb;
BEGIN
  SELECT c.id, c.unit_id, c.district_id, c.station_id, c.status, c.reported_at, c.victim_is_minor,
         c.amount_paid > 0 OR EXISTS (SELECT 1 FROM public.case_payments p WHERE p.case_id = c.id) AS paid,
         c.images_circulated, c.images_circulated_at, c.platforms, c.safety_risk, c.safety_screened_at,
         c.status = 'fir_registered' OR EXISTS (SELECT 1 FROM public.case_references r WHERE r.case_id = c.id AND r.kind = 'fir') AS fir,
         (SELECT array_agg(DISTINCT r.kind) FROM public.case_references r WHERE r.case_id = c.id) AS reference_kinds,
         coalesce((SELECT v.body FROM app.pinned_sop_versions(c.sop_base_id, c.sop_unit_id, c.sop_station_id) v WHERE v.layer = 'base'),
                  (SELECT v.body FROM public.sop_versions v WHERE v.id = c.sop_base_id AND v.status = 'published')) AS base_body,
         coalesce((SELECT v.body FROM app.pinned_sop_versions(c.sop_base_id, c.sop_unit_id, c.sop_station_id) v WHERE v.layer = 'unit'),
                  (SELECT v.body FROM public.sop_versions v WHERE v.id = c.sop_unit_id AND v.status = 'published')) AS unit_body,
         coalesce((SELECT v.body FROM app.pinned_sop_versions(c.sop_base_id, c.sop_unit_id, c.sop_station_id) v WHERE v.layer = 'station'),
                  (SELECT v.body FROM public.sop_versions v WHERE v.id = c.sop_station_id AND v.status = 'published')) AS station_body,
         (SELECT min(p.paid_at) FROM public.case_payments p WHERE p.case_id = c.id) AS first_paid_at
    INTO v_case
    FROM public.cases c
   WHERE c.id = p_case_id;
  IF NOT FOUND OR v_case.status = 'closed' OR v_case.base_body IS NULL THEN
    RETURN;
  END IF;
  v_facts := jsonb_build_object('victimIsMinor', v_case.victim_is_minor, 'moneyPaid', v_case.paid, 'imagesCirculated', v_case.images_circulated,
                                'platforms', to_jsonb(v_case.platforms), 'riskToLife', v_case.safety_risk = 'high', 'firRegistered', v_case.fir);

  RETURN QUERY
  WITH completed AS (
    UPDATE public.case_steps cs
       SET status = 'done', closed_at = app.now(), closed_by = 'urn:sextortion-sop-api:sop-engine', next_escalation_at = NULL,
           reason = 'completed by ' || done.act, updated_at = app.now(), version = cs.version + 1
      FROM (
        SELECT s.id, coalesce(
                 CASE WHEN s.definition->'completedBy' ? 'safety_screen' AND v_case.safety_screened_at IS NOT NULL THEN 'the safety screen' END,
                 CASE WHEN s.definition->'completedBy' ? 'fir' AND v_case.fir THEN 'the FIR' END,
                 CASE WHEN s.definition->'completedBy' ? 'helpline_ticket' AND 'helpline_ticket' = ANY(v_case.reference_kinds) THEN 'the 1930 helpline ticket' END,
                 CASE WHEN s.definition->'completedBy' ? 'ncrp_acknowledgement' AND 'ncrp_acknowledgement' = ANY(v_case.reference_kinds) THEN 'the national portal acknowledgement' END,
                 CASE WHEN s.definition->'completedBy' ? 'platform_response' AND EXISTS (
                        SELECT 1 FROM public.platform_requests r
                         WHERE r.case_id = s.case_id AND r.platform_key = s.platform_key AND r.deadline_missed_at IS NOT NULL AND r.responded_at IS NOT NULL)
                      THEN 'the platform''s answer' END,
                 CASE WHEN s.definition ? 'requestKind' THEN (
                        SELECT 'sending ' || r.kind || ' request ' || r.id || ' to ' || r.platform_key FROM public.platform_requests r
                         WHERE r.case_id = s.case_id AND r.kind = s.definition->>'requestKind' AND r.sent_at IS NOT NULL
                           AND (s.platform_key IS NULL OR r.platform_key = s.platform_key)
                           AND (r.sop_step_key IS NULL OR r.sop_step_key = s.step_key)
                         ORDER BY r.sent_at, r.id LIMIT 1) END) AS act
          FROM public.case_steps s
         WHERE s.case_id = p_case_id AND s.status = 'pending'
      ) done
     WHERE cs.id = done.id AND done.act IS NOT NULL
    RETURNING cs.step_key
  )
  SELECT v_case.id, v_case.unit_id, x.step_key, 'completed' FROM completed x;

  RETURN QUERY
  WITH definitions AS (
    SELECT r.key AS definition_key, r.step, p.platform,
           CASE WHEN p.platform IS NULL THEN r.key ELSE r.key || '.' || p.platform END AS key
      FROM app.resolved_steps(v_case.base_body, v_case.unit_body, v_case.station_body) r
      LEFT JOIN LATERAL unnest(v_case.platforms) AS p(platform) ON coalesce((r.step->>'forEachPlatform')::boolean, false)
     WHERE NOT coalesce((r.step->>'forEachPlatform')::boolean, false) OR p.platform IS NOT NULL
  ), steps AS (
    SELECT d.key, d.definition_key, d.platform, d.step,
           app.step_applies(d.step->'conditions', v_facts, d.platform) AS applies,
           CASE d.step->'trigger'->>'event'
             WHEN 'case_reported' THEN v_case.reported_at
             WHEN 'payment_made' THEN v_case.first_paid_at
             WHEN 'content_circulated' THEN v_case.images_circulated_at
             WHEN 'safety_screened' THEN v_case.safety_screened_at
             WHEN 'step_completed' THEN (
               SELECT CASE WHEN bool_and(cs.status = ANY(ARRAY(SELECT jsonb_array_elements_text(coalesce(d.step->'trigger'->'releasedBy', '["done"]')))))
                           THEN max(cs.closed_at) END
                 FROM public.case_steps cs
                WHERE cs.case_id = p_case_id AND cs.definition_key = d.step->'trigger'->>'step' AND cs.status <> 'retired'
                  AND (d.platform IS NULL OR cs.platform_key IS NULL OR cs.platform_key = d.platform))
             WHEN 'platform_deadline_missed' THEN (
               SELECT min(r.deadline_missed_at) FROM public.platform_requests r WHERE r.case_id = p_case_id AND r.platform_key = d.platform)
             WHEN 'preservation_expiring' THEN (
               SELECT min(r.reminded_at) FROM public.platform_requests r
                WHERE r.case_id = p_case_id AND r.platform_key = d.platform AND r.kind = 'preservation')
           END AS triggered_at
      FROM definitions d
  ), timed AS (
    SELECT steps.*,
           triggered_at + make_interval(mins => coalesce(app.provision_time_limit(step->'deadline'->>'provision', triggered_at),
                                                         (step->'deadline'->>'minutes')::integer)) AS due_at
      FROM steps
  ), added AS (
    INSERT INTO public.case_steps AS cs (case_id, unit_id, district_id, station_id, step_key, definition_key, platform_key, definition, owner_role, kind,
                                         triggered_at, due_at, next_escalation_at)
    SELECT v_case.id, v_case.unit_id, v_case.district_id, v_case.station_id, t.key, t.definition_key, t.platform, t.step, t.step->>'ownerRole', t.step->>'kind',
           t.triggered_at, t.due_at, t.due_at + make_interval(mins => (t.step->'escalation'->0->>'afterMinutes')::integer)
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
             THEN cs.due_at + make_interval(mins => (cs.definition->'escalation'->cs.escalation_level->>'afterMinutes')::integer)
             WHEN cs.definition ? 'escalationRepeatMinutes'
             THEN app.now() + make_interval(mins => (cs.definition->>'escalationRepeatMinutes')::integer) END
     WHERE cs.case_id = p_case_id AND cs.status = 'retired'
       AND EXISTS (SELECT 1 FROM timed t WHERE t.key = cs.step_key AND t.applies)
    RETURNING cs.step_key
  )
  SELECT v_case.id, v_case.unit_id, a.step_key, 'added' FROM added a
  UNION ALL SELECT v_case.id, v_case.unit_id, r.step_key, 'retired' FROM retired r
  UNION ALL SELECT v_case.id, v_case.unit_id, v.step_key, 'revived' FROM revived v;
END
$function$;

-- A request's own checklist sync: only for a case the caller works (the holder, or its district or
-- unit). Checked once here, from the request's tenant context; the build then runs as the owner, as
-- the sweeps' does, so row-level security does not ask again, row by row, whether the case is visible.
CREATE OR REPLACE FUNCTION app.sync_case_steps(p_case_id uuid)
 RETURNS TABLE(case_id uuid, unit_id uuid, step_key text, change text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  IF NOT app.case_id_workable(p_case_id) THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM app.build_case_steps(p_case_id);
END
$function$;

GRANT EXECUTE ON FUNCTION app.build_case_steps(uuid), app.sync_case_steps(uuid), app.step_applies(jsonb, jsonb, text) TO sextortion_app;
