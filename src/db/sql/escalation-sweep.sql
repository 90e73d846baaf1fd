-- The minute sweep's escalation of overdue steps, run with the clock passed in (p_now): each
-- step one level up its chain; once at the top, again every escalationRepeatMinutes (if the
-- step's definition sets it) until someone closes the step.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.escalate_overdue_steps(p_now timestamp with time zone, p_limit integer)
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
    SELECT s.id, s.case_id, s.unit_id, s.district_id, s.station_id, s.step_key, s.escalation_level + 1 AS level, s.definition->'escalation' AS chain, s.due_at,
           -- Past the end of the chain (repeat alerts), its last role hears of it again.
           s.definition->'escalation'->(least(s.escalation_level + 1, jsonb_array_length(s.definition->'escalation')) - 1)->>'role' AS role,
           (s.definition->>'escalationRepeatMinutes')::integer AS repeat_minutes
      FROM public.case_steps s
     WHERE s.status = 'pending' AND s.next_escalation_at <= p_now
     ORDER BY s.next_escalation_at
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), escalated AS (
    INSERT INTO public.step_escalations AS e (case_step_id, case_id, unit_id, level, role, escalated_at)
    SELECT d.id, d.case_id, d.unit_id, d.level, d.role, p_now FROM due d
    ON CONFLICT ON CONSTRAINT step_escalations_step_level_unique DO NOTHING
    RETURNING e.case_step_id, e.case_id, e.unit_id, e.level, e.role
  ), advanced AS (
    UPDATE public.case_steps s
       SET escalation_level = d.level,
           escalated_role = d.role,
           next_escalation_at = CASE WHEN jsonb_array_length(d.chain) > d.level
                                     THEN d.due_at + make_interval(mins => (d.chain->d.level->>'afterMinutes')::integer)
                                     ELSE p_now + make_interval(mins => d.repeat_minutes) END,
           updated_at = p_now
      FROM due d WHERE s.id = d.id
    RETURNING s.id
  ), events AS (
    INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
    SELECT x.unit_id, 'step.escalated', x.case_id,
           jsonb_build_object('caseId', x.case_id, 'caseStepId', x.case_step_id, 'stepKey', d.step_key, 'level', x.level, 'role', x.role, 'dueAt', d.due_at,
                              'districtId', d.district_id, 'stationId', d.station_id,
                              'repeat', x.level > jsonb_array_length(d.chain)), p_now
      FROM escalated x JOIN due d ON d.id = x.case_step_id
    RETURNING 1
  ), audited AS (
    INSERT INTO public.audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id,
                                     sequence, previous_hash, hash)
    SELECT x.unit_id, 'urn:sextortion-sop-api:scheduler', 'sop-escalation-sweep', '{}', 'sop.step_escalated', 'case_step', x.case_step_id::text,
           jsonb_build_object('stepKey', d.step_key, 'level', x.level, 'role', x.role, 'dueAt', d.due_at, 'asOf', p_now,
                      'repeat', x.level > jsonb_array_length(d.chain)), NULL, x.case_id, 0, '', ''
      FROM escalated x JOIN due d ON d.id = x.case_step_id
    RETURNING 1
  )
  SELECT count(*) FROM escalated
    INTO v_count;
  RETURN v_count;
END
$function$;
