-- The minute sweep's escalation of overdue steps, run with the clock passed in (p_now).
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
  -- The scheduler runs without a tenant; a request's transaction (any tenant context) may not sweep.
  IF nullif(current_setting('app.scope', true), '') IS NOT NULL THEN
    RAISE EXCEPTION 'the sweep runs outside any tenant context' USING ERRCODE = '42501';
  END IF;
  WITH due AS (
    SELECT s.id, s.case_id, s.unit_id, s.step_key, s.escalation_level + 1 AS level, s.definition->'escalation' AS chain, s.due_at
      FROM public.case_steps s
     WHERE s.status = 'pending' AND s.next_escalation_at <= p_now
     ORDER BY s.next_escalation_at
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), escalated AS (
    INSERT INTO public.step_escalations AS e (case_step_id, case_id, unit_id, level, role, escalated_at)
    SELECT d.id, d.case_id, d.unit_id, d.level, d.chain->(d.level - 1)->>'role', p_now FROM due d
    ON CONFLICT ON CONSTRAINT step_escalations_step_level_unique DO NOTHING
    RETURNING e.case_step_id, e.case_id, e.unit_id, e.level, e.role
  ), advanced AS (
    UPDATE public.case_steps s
       SET escalation_level = d.level,
           next_escalation_at = CASE WHEN jsonb_array_length(d.chain) > d.level
                                     THEN d.due_at + make_interval(mins => (d.chain->d.level->>'afterMinutes')::integer) END,
           updated_at = p_now
      FROM due d WHERE s.id = d.id
    RETURNING s.id
  ), events AS (
    INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
    SELECT x.unit_id, 'sop.step_escalated', x.case_id,
           jsonb_build_object('caseStepId', x.case_step_id, 'stepKey', d.step_key, 'level', x.level, 'role', x.role, 'dueAt', d.due_at), p_now
      FROM escalated x JOIN due d ON d.id = x.case_step_id
    RETURNING 1
  ), audited AS (
    INSERT INTO public.audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id,
                                     sequence, previous_hash, hash)
    SELECT x.unit_id, 'urn:sextortion-sop-api:scheduler', 'sop-escalation-sweep', '{}', 'sop.step_escalated', 'case_step', x.case_step_id::text,
           jsonb_build_object('stepKey', d.step_key, 'level', x.level, 'role', x.role, 'dueAt', d.due_at, 'asOf', p_now), NULL, x.case_id, 0, '', ''
      FROM escalated x JOIN due d ON d.id = x.case_step_id
    RETURNING 1
  )
  SELECT count(*) FROM escalated
    INTO v_count;
  RETURN v_count;
END
$function$;
