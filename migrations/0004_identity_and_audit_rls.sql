-- Identity providers and integration clients belong to a unit; the platform administrator
-- may create them while onboarding a unit. Audit events are appended by the app role and
-- chained by a trigger it cannot bypass; the chain heads are the trigger's alone.
GRANT SELECT, INSERT, UPDATE, DELETE ON identity_providers TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON integration_clients TO sextortion_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_events TO sextortion_app;
--> statement-breakpoint
ALTER TABLE identity_providers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE identity_providers FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE integration_clients ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE integration_clients FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY identity_providers_unit ON identity_providers FOR ALL TO sextortion_app
USING (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()))
WITH CHECK (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()));
--> statement-breakpoint
CREATE POLICY integration_clients_unit ON integration_clients FOR ALL TO sextortion_app
USING (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()))
WITH CHECK (app.current_scope() = 'platform' OR (app.current_scope() = 'unit' AND unit_id = app.current_unit_id()));
--> statement-breakpoint
CREATE POLICY audit_events_read ON audit_events FOR SELECT TO sextortion_app
USING (app.current_scope() = 'unit' AND unit_id = app.current_unit_id());
--> statement-breakpoint
CREATE POLICY audit_events_append ON audit_events FOR INSERT TO sextortion_app
WITH CHECK (
  app.current_scope() = 'platform'
  OR (app.current_scope() IN ('unit', 'district', 'station') AND unit_id = app.current_unit_id())
);
--> statement-breakpoint
-- The canonical form an event's hash covers: the previous hash, then the event as a JSON array.
CREATE FUNCTION app.audit_event_hash(
  p_previous_hash text, p_unit_id uuid, p_sequence bigint, p_occurred_at timestamptz,
  p_actor_issuer text, p_actor_subject text, p_actor_roles text[], p_action text,
  p_target_type text, p_target_id text, p_changes jsonb, p_request_id text
) RETURNS text LANGUAGE sql IMMUTABLE
AS $$
  SELECT encode(sha256(convert_to(p_previous_hash || jsonb_build_array(
    p_unit_id, p_sequence, to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    p_actor_issuer, p_actor_subject, to_jsonb(p_actor_roles), p_action, p_target_type, p_target_id,
    p_changes, p_request_id
  )::text, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE FUNCTION app.chain_audit_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
DECLARE
  v_head public.audit_chain_heads;
BEGIN
  INSERT INTO public.audit_chain_heads (unit_id, last_sequence, last_hash)
  VALUES (NEW.unit_id, 0, repeat('0', 64))
  ON CONFLICT (unit_id) DO NOTHING;
  SELECT * INTO v_head FROM public.audit_chain_heads WHERE unit_id = NEW.unit_id FOR UPDATE;
  NEW.sequence := v_head.last_sequence + 1;
  NEW.occurred_at := now();
  NEW.previous_hash := v_head.last_hash;
  NEW.hash := app.audit_event_hash(NEW.previous_hash, NEW.unit_id, NEW.sequence, NEW.occurred_at,
    NEW.actor_issuer, NEW.actor_subject, NEW.actor_roles, NEW.action, NEW.target_type, NEW.target_id,
    NEW.changes, NEW.request_id);
  UPDATE public.audit_chain_heads SET last_sequence = NEW.sequence, last_hash = NEW.hash WHERE unit_id = NEW.unit_id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
FOR EACH ROW EXECUTE FUNCTION app.chain_audit_event();
--> statement-breakpoint
-- Walks the caller's visible chain and returns the first event whose link or hash does not
-- hold (NULL when the chain is intact), with the number of events checked.
CREATE FUNCTION app.verify_audit_chain(p_unit_id uuid)
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
             e.actor_subject, e.actor_roles, e.action, e.target_type, e.target_id, e.changes, e.request_id) AS recomputed
      FROM public.audit_events e
     WHERE e.unit_id = p_unit_id
  ), broken AS (
    SELECT sequence,
           CASE WHEN sequence <> prior_sequence + 1 THEN 'an event is missing before this one'
                WHEN previous_hash <> expected_previous THEN 'this event does not link to the one before it'
                ELSE 'this event was altered after it was recorded' END AS problem
      FROM walked
     WHERE sequence <> prior_sequence + 1 OR previous_hash <> expected_previous OR hash <> recomputed
     ORDER BY sequence
     LIMIT 1
  )
  SELECT (SELECT count(*) FROM walked), (SELECT sequence FROM broken), (SELECT problem FROM broken)
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.verify_audit_chain(uuid) TO sextortion_app;
--> statement-breakpoint
-- Looked up before any tenant context exists (the caller is not yet known): the issuer of an
-- incoming token, and a client presenting its credentials.
CREATE FUNCTION app.identity_provider(p_issuer text)
RETURNS TABLE (unit_code text, audience text, jwks_uri text, jwks jsonb, algorithms text[],
               roles_claim text, district_claim text, station_claim text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
  SELECT u.code, p.audience, p.jwks_uri, p.jwks, p.algorithms, p.roles_claim, p.district_claim, p.station_claim
    FROM public.identity_providers p JOIN public.units u ON u.id = p.unit_id
   WHERE p.issuer = p_issuer
$$;
--> statement-breakpoint
CREATE FUNCTION app.integration_client(p_client_id text)
RETURNS TABLE (secret_hash text, roles text[], scopes text[], unit_code text, district_code text,
               station_code text, disabled boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
  SELECT c.secret_hash, c.roles, c.scopes, u.code, d.code, s.code, c.disabled_at IS NOT NULL
    FROM public.integration_clients c
    JOIN public.units u ON u.id = c.unit_id
    LEFT JOIN public.districts d ON d.id = c.district_id
    LEFT JOIN public.stations s ON s.id = c.station_id
   WHERE c.client_id = p_client_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.identity_provider(text), app.integration_client(text), app.chain_audit_event() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.identity_provider(text), app.integration_client(text) TO sextortion_app;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY audit_chain_heads_trigger ON audit_chain_heads FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY identity_providers_resolver ON identity_providers FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY integration_clients_resolver ON integration_clients FOR SELECT TO %I USING (true)', current_user);
END
$$;
