-- The minute sweep's jobs on the platforms' side of a request, run with the clock passed in (p_now):
-- reminders of expiring preservations (which raise the extension step), platforms that missed
-- their time to answer (which raises the follow-up step), and preservations that have lapsed.
-- The one current definition: applied by the migrate step whenever this file changes.

-- The checklists of cases a sweep changed a request on, rebuilt as the owner, each change audited
-- on the case. Only for the sweeps below: no grant to the app role.
CREATE OR REPLACE FUNCTION app.rebuild_checklists_for_sweep(p_case_ids uuid[], p_sweep text, p_now timestamp with time zone)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_count integer;
BEGIN
  WITH synced AS (
    SELECT b.* FROM unnest(coalesce(p_case_ids, '{}')) AS x(case_id) CROSS JOIN LATERAL app.build_case_steps(x.case_id) b
  ), changed AS (
    SELECT s.case_id, s.unit_id, jsonb_object_agg(s.step_key, s.change) AS steps FROM synced s GROUP BY s.case_id, s.unit_id
  ), audited AS (
    INSERT INTO public.audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id,
                                     sequence, previous_hash, hash)
    SELECT c.unit_id, 'urn:sextortion-sop-api:scheduler', p_sweep, '{}', 'case.checklist_changed', 'case', c.case_id::text, c.steps, NULL, c.case_id, 0, '', ''
      FROM changed c
    RETURNING 1
  )
  SELECT count(*) FROM audited INTO v_count;
  RETURN v_count;
END
$function$;

REVOKE ALL ON FUNCTION app.rebuild_checklists_for_sweep(uuid[], text, timestamp with time zone) FROM PUBLIC;

CREATE OR REPLACE FUNCTION app.remind_expiring_preservations(p_now timestamp with time zone, p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_count integer;
  v_cases uuid[];
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  WITH due AS (
    SELECT r.id, r.case_id, r.unit_id, r.platform_key, r.kind, r.status, r.sent_at, r.preservation_until, r.external_reference
      FROM public.platform_requests r
     WHERE r.reminder_at <= p_now
     ORDER BY r.reminder_at, r.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), cleared AS (
    UPDATE public.platform_requests r
       SET reminder_at = NULL, reminded_at = p_now, updated_at = p_now, version = r.version + 1
      FROM due d WHERE r.id = d.id
    RETURNING r.id, r.case_id
  ), events AS (
    INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
    SELECT d.unit_id, 'preservation.expiring', d.case_id,
           jsonb_build_object('requestId', d.id, 'platformKey', d.platform_key, 'kind', d.kind, 'status', d.status, 'sentAt', d.sent_at,
                              'preservationUntil', d.preservation_until, 'externalReference', d.external_reference), p_now
      FROM due d
    RETURNING 1
  ), audited AS (
    INSERT INTO public.audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id,
                                     sequence, previous_hash, hash)
    SELECT d.unit_id, 'urn:sextortion-sop-api:scheduler', 'preservation-reminder-sweep', '{}', 'platform_request.preservation_expiring',
           'platform_request', d.id::text,
           jsonb_build_object('platformKey', d.platform_key, 'preservationUntil', d.preservation_until, 'asOf', p_now), NULL, d.case_id, 0, '', ''
      FROM due d
    RETURNING 1
  )
  SELECT count(*), array_agg(DISTINCT c.case_id) FROM cleared c INTO v_count, v_cases;
  PERFORM app.rebuild_checklists_for_sweep(v_cases, 'preservation-reminder-sweep', p_now);
  RETURN v_count;
END
$function$;

CREATE OR REPLACE FUNCTION app.flag_missed_platform_deadlines(p_now timestamp with time zone, p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_count integer;
  v_cases uuid[];
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  WITH due AS (
    SELECT r.id, r.case_id, r.unit_id, r.platform_key, r.kind, r.sent_at, r.respond_by
      FROM public.platform_requests r
     WHERE r.status = 'sent' AND r.deadline_missed_at IS NULL AND r.respond_by <= p_now
     ORDER BY r.respond_by, r.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), flagged AS (
    UPDATE public.platform_requests r
       SET deadline_missed_at = p_now, updated_at = p_now, version = r.version + 1
      FROM due d WHERE r.id = d.id
    RETURNING r.id, r.case_id
  ), events AS (
    INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
    SELECT d.unit_id, 'request.platform_deadline_missed', d.case_id,
           jsonb_build_object('requestId', d.id, 'platformKey', d.platform_key, 'kind', d.kind, 'sentAt', d.sent_at, 'respondBy', d.respond_by), p_now
      FROM due d
    RETURNING 1
  ), audited AS (
    INSERT INTO public.audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id,
                                     sequence, previous_hash, hash)
    SELECT d.unit_id, 'urn:sextortion-sop-api:scheduler', 'platform-deadline-sweep', '{}', 'platform_request.deadline_missed',
           'platform_request', d.id::text,
           jsonb_build_object('platformKey', d.platform_key, 'kind', d.kind, 'respondBy', d.respond_by, 'asOf', p_now), NULL, d.case_id, 0, '', ''
      FROM due d
    RETURNING 1
  )
  SELECT count(*), array_agg(DISTINCT f.case_id) FROM flagged f INTO v_count, v_cases;
  PERFORM app.rebuild_checklists_for_sweep(v_cases, 'platform-deadline-sweep', p_now);
  RETURN v_count;
END
$function$;

CREATE OR REPLACE FUNCTION app.expire_lapsed_preservations(p_now timestamp with time zone, p_limit integer)
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
    SELECT r.id, r.case_id, r.unit_id, r.platform_key, r.kind, r.status, r.preservation_until
      FROM public.platform_requests r
     WHERE r.preservation_until <= p_now AND r.status IN ('sent', 'acknowledged', 'actioned')
     ORDER BY r.preservation_until, r.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), expired AS (
    UPDATE public.platform_requests r
       SET status = 'expired', reminder_at = NULL, updated_at = p_now, version = r.version + 1,
           transitions = r.transitions || jsonb_build_array(jsonb_build_object('status', 'expired', 'at', p_now, 'by', 'urn:sextortion-sop-api:scheduler',
                                                                              'note', 'the preservation period ended'))
      FROM due d WHERE r.id = d.id
    RETURNING r.id
  ), audited AS (
    INSERT INTO public.audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id,
                                     sequence, previous_hash, hash)
    SELECT d.unit_id, 'urn:sextortion-sop-api:scheduler', 'preservation-expiry-sweep', '{}', 'platform_request.expired', 'platform_request', d.id::text,
           jsonb_build_object('from', d.status, 'to', 'expired', 'platformKey', d.platform_key, 'kind', d.kind, 'preservationUntil', d.preservation_until), NULL,
           d.case_id, 0, '', ''
      FROM due d
    RETURNING 1
  )
  SELECT count(*) FROM expired INTO v_count;
  RETURN v_count;
END
$function$;

GRANT EXECUTE ON FUNCTION app.flag_missed_platform_deadlines(timestamp with time zone, integer),
                          app.expire_lapsed_preservations(timestamp with time zone, integer) TO sextortion_app;
