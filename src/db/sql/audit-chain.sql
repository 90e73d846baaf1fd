-- The audit trail: every event is hash-chained per unit as it is inserted; verify_audit_chain()
-- recomputes the chain and names the first event that does not match.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.audit_event_hash(p_previous_hash text, p_unit_id uuid, p_sequence bigint, p_occurred_at timestamp with time zone, p_actor_issuer text, p_actor_subject text, p_actor_roles text[], p_action text, p_target_type text, p_target_id text, p_changes jsonb, p_request_id text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT encode(sha256(convert_to(p_previous_hash || jsonb_build_array(
    p_unit_id, p_sequence, to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    p_actor_issuer, p_actor_subject, to_jsonb(p_actor_roles), p_action, p_target_type, p_target_id,
    p_changes, p_request_id
  )::text, 'UTF8')), 'hex')
$function$;

CREATE OR REPLACE FUNCTION app.audit_event_hash(p_previous_hash text, p_unit_id uuid, p_sequence bigint, p_occurred_at timestamp with time zone, p_actor_issuer text, p_actor_subject text, p_actor_roles text[], p_action text, p_target_type text, p_target_id text, p_changes jsonb, p_request_id text, p_case_id uuid)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT CASE WHEN p_case_id IS NULL THEN
    app.audit_event_hash(p_previous_hash, p_unit_id, p_sequence, p_occurred_at, p_actor_issuer, p_actor_subject,
      p_actor_roles, p_action, p_target_type, p_target_id, p_changes, p_request_id)
  ELSE
    encode(sha256(convert_to(p_previous_hash || jsonb_build_array(
      p_unit_id, p_sequence, to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      p_actor_issuer, p_actor_subject, to_jsonb(p_actor_roles), p_action, p_target_type, p_target_id,
      p_changes, p_request_id, p_case_id
    )::text, 'UTF8')), 'hex')
  END
$function$;

CREATE OR REPLACE FUNCTION app.chain_audit_event()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_head public.audit_chain_heads;
BEGIN
  INSERT INTO public.audit_chain_heads (unit_id, last_sequence, last_hash)
  VALUES (NEW.unit_id, 0, repeat('0', 64))
  ON CONFLICT (unit_id) DO NOTHING;
  SELECT * INTO v_head FROM public.audit_chain_heads WHERE unit_id = NEW.unit_id FOR UPDATE;
  NEW.sequence := v_head.last_sequence + 1;
  NEW.occurred_at := clock_timestamp();
  NEW.previous_hash := v_head.last_hash;
  NEW.hash := app.audit_event_hash(NEW.previous_hash, NEW.unit_id, NEW.sequence, NEW.occurred_at,
    NEW.actor_issuer, NEW.actor_subject, NEW.actor_roles, NEW.action, NEW.target_type, NEW.target_id,
    NEW.changes, NEW.request_id, NEW.case_id);
  UPDATE public.audit_chain_heads SET last_sequence = NEW.sequence, last_hash = NEW.hash WHERE unit_id = NEW.unit_id;
  RETURN NEW;
END
$function$;

CREATE OR REPLACE FUNCTION app.audit_chain_head(p_unit_id uuid)
 RETURNS TABLE(last_sequence bigint, last_hash text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT h.last_sequence, h.last_hash FROM public.audit_chain_heads h
   WHERE h.unit_id = p_unit_id
     AND nullif(current_setting('app.scope', true), '') = 'unit'
     AND h.unit_id = nullif(current_setting('app.unit_id', true), '')::uuid
$function$;

CREATE OR REPLACE FUNCTION app.verify_audit_chain(p_unit_id uuid)
 RETURNS TABLE(checked bigint, first_broken_sequence bigint, problem text)
 LANGUAGE sql
 STABLE
AS $function$
  WITH walked AS (
    SELECT e.sequence,
           e.previous_hash,
           e.hash,
           lag(e.hash, 1, repeat('0', 64)) OVER (ORDER BY e.sequence) AS expected_previous,
           lag(e.sequence, 1, 0::bigint) OVER (ORDER BY e.sequence) AS prior_sequence,
           app.audit_event_hash(e.previous_hash, e.unit_id, e.sequence, e.occurred_at, e.actor_issuer,
             e.actor_subject, e.actor_roles, e.action, e.target_type, e.target_id, e.changes, e.request_id, e.case_id) AS recomputed
      FROM public.audit_events e
     WHERE e.unit_id = p_unit_id
  ), last_event AS (
    SELECT sequence, hash FROM walked ORDER BY sequence DESC LIMIT 1
  ), broken AS (
    SELECT sequence,
           CASE WHEN sequence <> prior_sequence + 1 THEN 'an event is missing before this one'
                WHEN previous_hash <> expected_previous THEN 'this event does not link to the one before it'
                ELSE 'this event was altered after it was recorded' END AS problem
      FROM walked
     WHERE sequence <> prior_sequence + 1 OR previous_hash <> expected_previous OR hash <> recomputed
    UNION ALL
    SELECT coalesce((SELECT sequence FROM last_event), 0) + 1, 'the newest events are missing: the chain ends before its recorded head'
      FROM app.audit_chain_head(p_unit_id) h
     WHERE h.last_sequence <> coalesce((SELECT sequence FROM last_event), 0)
        OR h.last_hash <> coalesce((SELECT hash FROM last_event), repeat('0', 64))
  ), first_broken AS (
    SELECT sequence, problem FROM broken ORDER BY sequence LIMIT 1
  )
  SELECT (SELECT count(*) FROM walked), (SELECT sequence FROM first_broken), (SELECT problem FROM first_broken)
$function$;

CREATE OR REPLACE TRIGGER audit_events_chain BEFORE INSERT ON public.audit_events FOR EACH ROW EXECUTE FUNCTION app.chain_audit_event();
