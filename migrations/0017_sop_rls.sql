-- A rule without a condition would move every new case: at least one must be set.
ALTER TABLE routing_rules ADD CONSTRAINT routing_rules_some_condition CHECK (
  min_amount_paid IS NOT NULL OR min_amount_demanded IS NOT NULL OR victim_is_minor IS NOT NULL
  OR images_circulated IS NOT NULL OR platforms_any IS NOT NULL);
--> statement-breakpoint
ALTER TABLE cases ADD CONSTRAINT cases_sop_base_fk FOREIGN KEY (sop_base_id) REFERENCES sop_versions (id);
--> statement-breakpoint
ALTER TABLE cases ADD CONSTRAINT cases_sop_unit_fk FOREIGN KEY (sop_unit_id) REFERENCES sop_versions (id);
--> statement-breakpoint
ALTER TABLE cases ADD CONSTRAINT cases_sop_station_fk FOREIGN KEY (sop_station_id) REFERENCES sop_versions (id);
--> statement-breakpoint
CREATE UNIQUE INDEX sop_versions_number_unique ON sop_versions (layer, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'), coalesce(station_id, '00000000-0000-0000-0000-000000000000'), number) WHERE number IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX platform_directory_shipped_key_unique ON platform_directory (key) WHERE unit_id IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX platform_directory_unit_key_unique ON platform_directory (unit_id, key) WHERE unit_id IS NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX letter_templates_shipped_kind_unique ON letter_templates (request_kind) WHERE unit_id IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX letter_templates_unit_kind_unique ON letter_templates (unit_id, request_kind) WHERE unit_id IS NOT NULL;
--> statement-breakpoint
GRANT UPDATE (images_circulated_at, sop_base_id, sop_unit_id, sop_station_id) ON cases TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON legal_provisions TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (effective_to) ON legal_provisions TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON sop_versions TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (status, number, title, notes, body, published_at, published_by, updated_at, version) ON sop_versions TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON case_steps TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (district_id, station_id, status, closed_at, closed_by, reason, next_escalation_at, updated_at, version) ON case_steps TO sextortion_app;
--> statement-breakpoint
GRANT SELECT ON step_escalations TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON integration_events TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON platform_directory, letter_templates TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (name, category, channels, required_fields, turnaround_hours, preservation_days, notes, updated_at, version) ON platform_directory TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (body, updated_at, version) ON letter_templates TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON platform_requests TO sextortion_app;
--> statement-breakpoint
GRANT UPDATE (station_id, status, transitions, approved_by, sent_at, responded_at, external_reference, preservation_until, reminder_at, updated_at, version)
  ON platform_requests TO sextortion_app;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['legal_provisions', 'sop_versions', 'case_steps', 'step_escalations', 'integration_events', 'platform_directory',
                           'letter_templates', 'platform_requests'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
  -- The escalation sweep runs as the owner (app.escalate_overdue_steps) across every unit.
  EXECUTE format('CREATE POLICY case_steps_sweep ON case_steps FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY step_escalations_sweep ON step_escalations FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY integration_events_sweep ON integration_events FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY platform_requests_sweep ON platform_requests FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY audit_events_sweep ON audit_events FOR INSERT TO %I WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY sop_versions_resolver ON sop_versions FOR SELECT TO %I USING (true)', current_user);
END
$$;
--> statement-breakpoint
-- Provisions and the base SOP are shared: anyone with a tenancy reads them; the platform writes them.
CREATE POLICY legal_provisions_read ON legal_provisions FOR SELECT TO sextortion_app USING (app.current_scope() IS NOT NULL);
--> statement-breakpoint
CREATE POLICY legal_provisions_write ON legal_provisions FOR INSERT TO sextortion_app WITH CHECK (app.current_scope() = 'platform');
--> statement-breakpoint
CREATE POLICY legal_provisions_update ON legal_provisions FOR UPDATE TO sextortion_app
USING (app.current_scope() = 'platform') WITH CHECK (app.current_scope() = 'platform');
--> statement-breakpoint
CREATE FUNCTION app.sop_layer_visible(p_layer text, p_unit_id uuid, p_district_id uuid, p_station_id uuid) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT CASE p_layer
           WHEN 'base' THEN app.current_scope() IS NOT NULL
           WHEN 'unit' THEN p_unit_id = app.current_unit_id()
           ELSE p_unit_id = app.current_unit_id() AND CASE app.current_scope()
             WHEN 'unit' THEN true
             WHEN 'district' THEN p_district_id = app.current_district_id()
             WHEN 'station' THEN p_station_id = app.current_station_id()
             ELSE false END
         END
$$;
--> statement-breakpoint
-- The base is the platform's, an overlay its unit's, local additions their station's (or the unit's).
CREATE FUNCTION app.sop_layer_writable(p_layer text, p_unit_id uuid, p_station_id uuid) RETURNS boolean
LANGUAGE sql STABLE
AS $$
  SELECT CASE p_layer
           WHEN 'base' THEN app.current_scope() = 'platform'
           WHEN 'unit' THEN app.current_scope() = 'unit' AND p_unit_id = app.current_unit_id()
           ELSE p_unit_id = app.current_unit_id()
                AND (app.current_scope() = 'unit' OR (app.current_scope() = 'station' AND p_station_id = app.current_station_id()))
         END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.sop_layer_visible(text, uuid, uuid, uuid), app.sop_layer_writable(text, uuid, uuid) TO sextortion_app;
--> statement-breakpoint
CREATE POLICY sop_versions_read ON sop_versions FOR SELECT TO sextortion_app
USING (app.sop_layer_visible(layer, unit_id, district_id, station_id));
--> statement-breakpoint
CREATE POLICY sop_versions_draft ON sop_versions FOR INSERT TO sextortion_app
WITH CHECK (status = 'draft' AND app.sop_layer_writable(layer, unit_id, station_id));
--> statement-breakpoint
-- A published version never changes again: only drafts are updated (publishing is the last update).
CREATE POLICY sop_versions_edit ON sop_versions FOR UPDATE TO sextortion_app
USING (status = 'draft' AND app.sop_layer_writable(layer, unit_id, station_id))
WITH CHECK (app.sop_layer_writable(layer, unit_id, station_id));
--> statement-breakpoint
CREATE POLICY case_steps_read ON case_steps FOR SELECT TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.case_id_visible(case_id));
--> statement-breakpoint
CREATE POLICY case_steps_add ON case_steps FOR INSERT TO sextortion_app
WITH CHECK (unit_id = app.current_unit_id() AND app.case_id_workable(case_id));
--> statement-breakpoint
CREATE POLICY case_steps_work ON case_steps FOR UPDATE TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.case_id_workable(case_id))
WITH CHECK (unit_id = app.current_unit_id() AND app.case_id_workable(case_id));
--> statement-breakpoint
CREATE POLICY step_escalations_read ON step_escalations FOR SELECT TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.case_id_visible(case_id));
--> statement-breakpoint
CREATE POLICY integration_events_read ON integration_events FOR SELECT TO sextortion_app
USING (app.current_scope() = 'unit' AND unit_id = app.current_unit_id());
--> statement-breakpoint
CREATE POLICY integration_events_add ON integration_events FOR INSERT TO sextortion_app
WITH CHECK (unit_id = app.current_unit_id());
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['platform_directory', 'letter_templates'] LOOP
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO sextortion_app USING ((unit_id IS NULL AND app.current_scope() IS NOT NULL) OR unit_id = app.current_unit_id())', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO sextortion_app
      USING ((unit_id IS NULL AND app.current_scope() = ''platform'') OR (unit_id = app.current_unit_id() AND app.current_scope() = ''unit''))
      WITH CHECK ((unit_id IS NULL AND app.current_scope() = ''platform'') OR (unit_id = app.current_unit_id() AND app.current_scope() = ''unit''))', t || '_manage', t);
  END LOOP;
END
$$;
--> statement-breakpoint
CREATE POLICY platform_requests_read ON platform_requests FOR SELECT TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.case_id_visible(case_id));
--> statement-breakpoint
CREATE POLICY platform_requests_add ON platform_requests FOR INSERT TO sextortion_app
WITH CHECK (unit_id = app.current_unit_id() AND app.case_id_workable(case_id));
--> statement-breakpoint
CREATE POLICY platform_requests_work ON platform_requests FOR UPDATE TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.case_id_workable(case_id))
WITH CHECK (unit_id = app.current_unit_id() AND app.case_id_workable(case_id));
--> statement-breakpoint
-- The steps of a composed SOP: the base's, changed field by field (top-level) or retired by the
-- unit's overlay, with the overlay's new steps after them and the station's additions last.
CREATE FUNCTION app.resolved_steps(p_base jsonb, p_unit jsonb, p_station jsonb)
RETURNS TABLE (key text, step jsonb, ord integer)
LANGUAGE sql IMMUTABLE
AS $$
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
$$;
--> statement-breakpoint
-- The SOP versions in force for a station: the newest published base, its unit's newest
-- published overlay and the station's newest published additions (each may be NULL).
CREATE FUNCTION app.sop_in_force(p_unit_id uuid, p_station_id uuid) RETURNS TABLE (base_id uuid, unit_id uuid, station_id uuid)
LANGUAGE sql STABLE
AS $$
  SELECT (SELECT v.id FROM public.sop_versions v WHERE v.layer = 'base' AND v.status = 'published' ORDER BY v.number DESC LIMIT 1),
         (SELECT v.id FROM public.sop_versions v WHERE v.layer = 'unit' AND v.unit_id = p_unit_id AND v.status = 'published' ORDER BY v.number DESC LIMIT 1),
         (SELECT v.id FROM public.sop_versions v WHERE v.layer = 'station' AND v.station_id = p_station_id AND v.status = 'published' ORDER BY v.number DESC LIMIT 1)
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.sop_in_force(uuid, uuid) TO sextortion_app;
--> statement-breakpoint
-- The SOP versions a case is pinned to, for whoever holds or held it: a station that takes a
-- transferred case cannot see the reporting station's own layer in sop_versions, yet must
-- work the checklist it shaped. Only versions of the caller's unit (or the shipped base).
CREATE FUNCTION app.pinned_sop_versions(p_base_id uuid, p_unit_id uuid, p_station_id uuid)
RETURNS TABLE (layer text, id uuid, number integer, body jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT v.layer, v.id, v.number, v.body FROM public.sop_versions v
   WHERE v.id IN (p_base_id, p_unit_id, p_station_id) AND v.status = 'published'
     AND (v.layer = 'base' OR v.unit_id = nullif(current_setting('app.unit_id', true), '')::uuid)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.pinned_sop_versions(uuid, uuid, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.pinned_sop_versions(uuid, uuid, uuid) TO sextortion_app;
--> statement-breakpoint
-- The time limit of a provision in force at a moment (NULL when none is).
CREATE FUNCTION app.provision_time_limit(p_code text, p_at timestamptz) RETURNS integer
LANGUAGE sql STABLE
AS $$
  SELECT time_limit_minutes FROM public.legal_provisions
   WHERE code = p_code AND effective_from <= p_at AND (effective_to IS NULL OR effective_to > p_at)
   ORDER BY effective_from DESC LIMIT 1
$$;
--> statement-breakpoint
-- Whether a step's conditions hold for a case's facts; a condition left out always holds.
CREATE FUNCTION app.step_applies(p_conditions jsonb, p_minor boolean, p_paid boolean, p_circulated boolean, p_platforms text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
  SELECT (p_conditions->'victimIsMinor' IS NULL OR (p_conditions->>'victimIsMinor')::boolean = p_minor)
     AND (p_conditions->'moneyPaid' IS NULL OR (p_conditions->>'moneyPaid')::boolean = p_paid)
     AND (p_conditions->'imagesCirculated' IS NULL OR (p_conditions->>'imagesCirculated')::boolean = p_circulated)
     AND (p_conditions->'platformInvolved' IS NULL OR (p_conditions->>'platformInvolved')::boolean = (cardinality(p_platforms) > 0))
     AND (p_conditions->'platforms' IS NULL
          OR p_platforms && ARRAY(SELECT jsonb_array_elements_text(p_conditions->'platforms')))
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.resolved_steps(jsonb, jsonb, jsonb), app.provision_time_limit(text, timestamptz),
  app.step_applies(jsonb, boolean, boolean, boolean, text[]) TO sextortion_app;
--> statement-breakpoint
-- Brings a case's checklist in line with its facts and pinned SOP versions: steps that now
-- apply and have their trigger are added with their deadline; pending steps that no longer
-- apply are retired (and come back if the facts change back). Runs as the caller, so only
-- the holder of the case changes anything. Returns what changed, for the audit trail.
CREATE FUNCTION app.sync_case_steps(p_case_id uuid)
RETURNS TABLE (case_id uuid, unit_id uuid, step_key text, change text)
LANGUAGE plpgsql
AS $$
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
    INSERT INTO public.case_steps AS cs (case_id, unit_id, district_id, station_id, step_key, definition, owner_role, kind, triggered_at, due_at, next_escalation_at)
    SELECT v_case.id, v_case.unit_id, v_case.district_id, v_case.station_id, t.key, t.step, t.step->>'ownerRole', t.step->>'kind', t.triggered_at, t.due_at,
           t.due_at + make_interval(mins => (t.step->'escalation'->0->>'afterMinutes')::integer)
      FROM timed t
     WHERE t.applies AND t.triggered_at IS NOT NULL AND t.due_at IS NOT NULL
    ON CONFLICT ON CONSTRAINT case_steps_case_key_unique DO NOTHING
    RETURNING cs.step_key
  ), retired AS (
    UPDATE public.case_steps cs
       SET status = 'retired', next_escalation_at = NULL, closed_at = now(), reason = 'its conditions no longer hold', updated_at = now(),
           version = cs.version + 1
     WHERE cs.case_id = p_case_id AND cs.status = 'pending'
       AND NOT EXISTS (SELECT 1 FROM timed t WHERE t.key = cs.step_key AND t.applies)
    RETURNING cs.step_key
  ), revived AS (
    UPDATE public.case_steps cs
       SET status = 'pending', closed_at = NULL, reason = NULL, updated_at = now(), version = cs.version + 1,
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
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.sync_case_steps(uuid) TO sextortion_app;
--> statement-breakpoint
-- The minute sweep: pending steps whose next escalation is due move one level up their
-- chain, with an escalation record, an integration event and an audit event. At most
-- p_limit steps a run, locked with SKIP LOCKED so overlapping runs never escalate a step
-- twice; an escalated step's next escalation moves on, so a second run at the same moment
-- finds nothing to do. Walks only the partial index of pending steps.
CREATE FUNCTION app.escalate_overdue_steps(p_now timestamptz, p_limit integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
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
  SELECT (SELECT count(*) FROM escalated) + 0 * (SELECT count(*) FROM advanced) + 0 * (SELECT count(*) FROM events) + 0 * (SELECT count(*) FROM audited)
    INTO v_count;
  RETURN v_count;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.escalate_overdue_steps(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.escalate_overdue_steps(timestamptz, integer) TO sextortion_app;
--> statement-breakpoint
-- A case's timeline is part of the audit chain: only a caller who can see the case may add
-- to it (the API writes each case event in a statement after the case exists).
DROP POLICY audit_events_append ON audit_events;
--> statement-breakpoint
CREATE POLICY audit_events_append ON audit_events FOR INSERT TO sextortion_app
WITH CHECK (
  ((app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id())
   OR (app.current_scope() IN ('unit', 'district', 'station') AND unit_id = app.current_unit_id()))
  AND (case_id IS NULL OR app.case_id_visible(case_id))
);
--> statement-breakpoint
-- List filters name stations and districts a station officer may not see in the tenancy
-- tables (a case they held went there): resolved inside the caller's unit only.
CREATE FUNCTION app.district_in_current_unit(p_code text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT d.id FROM public.districts d
   WHERE d.code = p_code
     AND d.unit_id = nullif(current_setting('app.unit_id', true), '')::uuid
     AND nullif(current_setting('app.scope', true), '') IN ('unit', 'district', 'station')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.district_in_current_unit(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.district_in_current_unit(text) TO sextortion_app;
--> statement-breakpoint
-- The minute sweep's reminder of preservations about to lapse: an integration event and an
-- audit event for each, at most p_limit a run, each reminded once (reminder_at cleared).
CREATE FUNCTION app.remind_expiring_preservations(p_now timestamptz, p_limit integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
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
  SELECT (SELECT count(*) FROM cleared) + 0 * (SELECT count(*) FROM events) + 0 * (SELECT count(*) FROM audited) INTO v_count;
  RETURN v_count;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.remind_expiring_preservations(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.remind_expiring_preservations(timestamptz, integer) TO sextortion_app;
