-- Cases: a station works the cases it holds and keeps reading the ones it held (the station
-- that took the complaint still answers the victim after a transfer); a district supervisor
-- the same for the district; the unit sees all of its cases. The platform sees none.
CREATE FUNCTION app.case_visible(p_unit_id uuid, p_holder_district_ids uuid[], p_holder_station_ids uuid[]) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT p_unit_id = app.current_unit_id()
     AND CASE app.current_scope()
           WHEN 'unit' THEN true
           WHEN 'district' THEN app.current_district_id() = ANY (p_holder_district_ids)
           WHEN 'station' THEN app.current_station_id() = ANY (p_holder_station_ids)
           ELSE false
         END
$$;
--> statement-breakpoint
CREATE FUNCTION app.case_workable(p_unit_id uuid, p_district_id uuid, p_station_id uuid) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT p_unit_id = app.current_unit_id()
     AND CASE app.current_scope()
           WHEN 'unit' THEN true
           WHEN 'district' THEN p_district_id = app.current_district_id()
           WHEN 'station' THEN p_station_id = app.current_station_id()
           ELSE false
         END
$$;
--> statement-breakpoint
-- Whether the caller may add to a case: it holds it now. Runs as the caller, so the cases
-- policies apply inside too.
CREATE FUNCTION app.case_id_workable(p_case_id uuid) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT EXISTS (SELECT 1 FROM public.cases c WHERE c.id = p_case_id AND app.case_workable(c.unit_id, c.district_id, c.station_id))
$$;
--> statement-breakpoint
CREATE FUNCTION app.case_id_visible(p_case_id uuid) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT EXISTS (SELECT 1 FROM public.cases c WHERE c.id = p_case_id)
$$;
--> statement-breakpoint
-- A transfer names a station the caller may not otherwise see (a station officer sees only
-- their own): this resolves a code inside the caller's unit, and nothing outside it.
CREATE FUNCTION app.station_in_current_unit(p_code text) RETURNS TABLE (id uuid, district_id uuid, code text, name text, is_cyber_crime_station boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT s.id, s.district_id, s.code, s.name, s.is_cyber_crime_station FROM public.stations s
   WHERE s.code = p_code
     AND s.unit_id = nullif(current_setting('app.unit_id', true), '')::uuid
     AND nullif(current_setting('app.scope', true), '') IN ('unit', 'district', 'station')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.station_in_current_unit(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.station_in_current_unit(text) TO sextortion_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.case_visible(uuid, uuid[], uuid[]), app.case_workable(uuid, uuid, uuid),
  app.case_id_workable(uuid), app.case_id_visible(uuid) TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON cases, case_identifiers, case_payments, case_references, case_notes, evidence_items, custody_events TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (district_id, station_id, station_code, holder_station_ids, holder_district_ids, status, closure_reason, closed_at,
  assigned_officer, assigned_officer_subject, complainant, victim, victim_is_minor, incident, platforms, images_circulated,
  amount_demanded, amount_paid, currency, narrative, routed_by, updated_at, version) ON cases TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (custodian, integrity, updated_at, version) ON evidence_items TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON routing_rules TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (name, priority, active, min_amount_paid, min_amount_demanded, victim_is_minor, images_circulated, platforms_any,
  target_station_id, target_district_id, target_station_code, updated_at, version) ON routing_rules TO sextortion_app;
--> statement-breakpoint
ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cases FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cases_read ON cases FOR SELECT TO sextortion_app
USING (app.case_visible(unit_id, holder_district_ids, holder_station_ids));
--> statement-breakpoint
-- A case is reported at a station the caller stands for; routing may hand it straight on.
CREATE POLICY cases_report ON cases FOR INSERT TO sextortion_app
WITH CHECK (app.case_workable(unit_id, reported_district_id, reported_station_id));
--> statement-breakpoint
-- The holder works it and may hand it to any station of the same unit (the foreign key keeps
-- the station, district and unit consistent).
CREATE POLICY cases_work ON cases FOR UPDATE TO sextortion_app
USING (app.case_workable(unit_id, district_id, station_id))
WITH CHECK (unit_id = app.current_unit_id());
--> statement-breakpoint
DO $$
DECLARE
  child text;
BEGIN
  FOREACH child IN ARRAY ARRAY['case_identifiers', 'case_payments', 'case_references', 'case_notes', 'evidence_items', 'custody_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', child);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', child);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO sextortion_app USING (unit_id = app.current_unit_id() AND app.case_id_visible(case_id))', child || '_read', child);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT TO sextortion_app WITH CHECK (unit_id = app.current_unit_id() AND app.case_id_workable(case_id))', child || '_add', child);
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE POLICY evidence_items_custody ON evidence_items FOR UPDATE TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.case_id_workable(case_id))
WITH CHECK (unit_id = app.current_unit_id() AND app.case_id_workable(case_id));
--> statement-breakpoint
ALTER TABLE routing_rules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE routing_rules FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Everyone in the unit reads its rules (intake applies them); only the unit level edits them.
CREATE POLICY routing_rules_read ON routing_rules FOR SELECT TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.current_scope() IN ('unit', 'district', 'station'));
--> statement-breakpoint
CREATE POLICY routing_rules_insert ON routing_rules FOR INSERT TO sextortion_app
WITH CHECK (unit_id = app.current_unit_id() AND app.current_scope() = 'unit');
--> statement-breakpoint
CREATE POLICY routing_rules_update ON routing_rules FOR UPDATE TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.current_scope() = 'unit')
WITH CHECK (unit_id = app.current_unit_id() AND app.current_scope() = 'unit');
--> statement-breakpoint
CREATE POLICY routing_rules_delete ON routing_rules FOR DELETE TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.current_scope() = 'unit');
--> statement-breakpoint
-- A case's timeline is read from the audit chain by whoever may read the case.
CREATE POLICY audit_events_case_read ON audit_events FOR SELECT TO sextortion_app
USING (case_id IS NOT NULL AND unit_id = app.current_unit_id() AND app.case_id_visible(case_id));
--> statement-breakpoint
-- The hash covers the case an event belongs to, so moving an event to another case's
-- timeline breaks the chain; events without a case hash as before.
CREATE FUNCTION app.audit_event_hash(
  p_previous_hash text, p_unit_id uuid, p_sequence bigint, p_occurred_at timestamptz,
  p_actor_issuer text, p_actor_subject text, p_actor_roles text[], p_action text,
  p_target_type text, p_target_id text, p_changes jsonb, p_request_id text, p_case_id uuid
) RETURNS text LANGUAGE sql IMMUTABLE
AS $$
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
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app.chain_audit_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
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
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app.verify_audit_chain(p_unit_id uuid)
RETURNS TABLE (checked bigint, first_broken_sequence bigint, problem text)
LANGUAGE sql STABLE
AS $$
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
$$;
