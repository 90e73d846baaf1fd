-- The audit trail: every event is hash-chained per unit as its transaction commits; verify_audit_chain()
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

-- An event is inserted unsealed: no sequence, no hashes, nothing locked. As its transaction
-- commits, a deferred trigger seals the transaction's events into their units' chains: only then,
-- for the length of the commit, does it hold the unit's chain head. So sequence order is commit
-- order, and no write waits on another for the whole of its transaction.
CREATE OR REPLACE FUNCTION app.prepare_audit_event()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  NEW.occurred_at := clock_timestamp();
  NEW.transaction_id := (pg_current_xact_id()::text)::bigint;
  NEW.sequence := NULL;
  NEW.previous_hash := NULL;
  NEW.hash := NULL;
  RETURN NEW;
END
$function$;

-- Fired once per event at commit; the first firing seals every event of its own transaction, the
-- rest find theirs done. An event inserted past the triggers is never taken in: verify names it.
-- Heads are locked in unit order, so two transactions sealing the same units cannot deadlock.
CREATE OR REPLACE FUNCTION app.seal_audit_events()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_transaction bigint;
  v_unit uuid;
  v_sequence bigint;
  v_hash text;
  v_next text;
  v_event record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.audit_events WHERE id = NEW.id AND sequence IS NULL) THEN
    RETURN NULL;
  END IF;
  v_transaction := (pg_current_xact_id()::text)::bigint;
  FOR v_unit IN SELECT DISTINCT e.unit_id FROM public.audit_events e WHERE e.sequence IS NULL AND e.transaction_id = v_transaction ORDER BY e.unit_id LOOP
    INSERT INTO public.audit_chain_heads (unit_id, last_sequence, last_hash)
    VALUES (v_unit, 0, repeat('0', 64))
    ON CONFLICT (unit_id) DO NOTHING;
    SELECT h.last_sequence, h.last_hash INTO v_sequence, v_hash FROM public.audit_chain_heads h WHERE h.unit_id = v_unit FOR UPDATE;
    FOR v_event IN SELECT * FROM public.audit_events e WHERE e.sequence IS NULL AND e.transaction_id = v_transaction AND e.unit_id = v_unit ORDER BY e.ordinal LOOP
      v_sequence := v_sequence + 1;
      v_next := app.audit_event_hash(v_hash, v_unit, v_sequence, v_event.occurred_at, v_event.actor_issuer, v_event.actor_subject,
        v_event.actor_roles, v_event.action, v_event.target_type, v_event.target_id, v_event.changes, v_event.request_id, v_event.case_id);
      UPDATE public.audit_events SET sequence = v_sequence, previous_hash = v_hash, hash = v_next WHERE id = v_event.id;
      v_hash := v_next;
    END LOOP;
    UPDATE public.audit_chain_heads SET last_sequence = v_sequence, last_hash = v_hash WHERE unit_id = v_unit;
  END LOOP;
  RETURN NULL;
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
     WHERE e.unit_id = p_unit_id AND e.sequence IS NOT NULL
  ), last_event AS (
    SELECT sequence, hash FROM walked ORDER BY sequence DESC LIMIT 1
  ), broken AS (
    SELECT sequence, 1 AS rank,
           CASE WHEN sequence <> prior_sequence + 1 THEN 'an event is missing before this one'
                WHEN previous_hash <> expected_previous THEN 'this event does not link to the one before it'
                ELSE 'this event was altered after it was recorded' END AS problem
      FROM walked
     WHERE sequence <> prior_sequence + 1 OR previous_hash <> expected_previous OR hash <> recomputed
    UNION ALL
    SELECT coalesce((SELECT sequence FROM last_event), 0) + 1, 2, 'the newest events are missing: the chain ends before its recorded head'
      FROM app.audit_chain_head(p_unit_id) h
     WHERE h.last_sequence <> coalesce((SELECT sequence FROM last_event), 0)
        OR h.last_hash <> coalesce((SELECT hash FROM last_event), repeat('0', 64))
    UNION ALL
    SELECT coalesce((SELECT sequence FROM last_event), 0) + 1, 3, 'an event was recorded outside the chain: it was never sealed'
     WHERE EXISTS (SELECT 1 FROM public.audit_events e WHERE e.unit_id = p_unit_id AND e.sequence IS NULL)
    UNION ALL
    SELECT c.sequence, 4, 'the chain no longer matches the checkpoint the API signed at this event'
      FROM public.audit_checkpoints c
      LEFT JOIN walked w ON w.sequence = c.sequence
     WHERE c.unit_id = p_unit_id AND (w.hash IS NULL OR w.hash <> c.hash)
  ), first_broken AS (
    SELECT sequence, problem FROM broken ORDER BY sequence, rank LIMIT 1
  )
  SELECT (SELECT count(*) FROM walked), (SELECT sequence FROM first_broken), (SELECT problem FROM first_broken)
$function$;

DROP TRIGGER IF EXISTS audit_events_chain ON public.audit_events;
DROP FUNCTION IF EXISTS app.chain_audit_event();
CREATE OR REPLACE TRIGGER audit_events_prepare BEFORE INSERT ON public.audit_events FOR EACH ROW EXECUTE FUNCTION app.prepare_audit_event();
DROP TRIGGER IF EXISTS audit_events_seal ON public.audit_events;
CREATE CONSTRAINT TRIGGER audit_events_seal AFTER INSERT ON public.audit_events DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION app.seal_audit_events();
REVOKE ALL ON FUNCTION app.prepare_audit_event(), app.seal_audit_events() FROM PUBLIC;
