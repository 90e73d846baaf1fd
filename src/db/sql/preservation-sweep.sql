-- The minute sweep's jobs on the platforms' side of a request, run with the clock passed in (p_now):
-- reminders of expiring preservations.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.remind_expiring_preservations(p_now timestamp with time zone, p_limit integer)
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
    SELECT r.id, r.case_id, r.unit_id, r.platform_key, r.kind, r.status, r.sent_at, r.preservation_until, r.external_reference
      FROM public.platform_requests r
     WHERE r.reminder_at <= p_now
     ORDER BY r.reminder_at, r.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), cleared AS (
    UPDATE public.platform_requests r
       SET reminder_at = NULL, updated_at = p_now, version = r.version + 1
      FROM due d WHERE r.id = d.id
    RETURNING r.id
  ), events AS (
    INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
    SELECT d.unit_id, 'request.preservation_expiring', d.case_id,
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
  SELECT count(*) FROM cleared INTO v_count;
  RETURN v_count;
END
$function$;
