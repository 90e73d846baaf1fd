-- The platform administrator onboards units; it never manages an existing unit. Row-level
-- security now says so too: platform-scope writes (identity providers, clients, districts,
-- stations, audit events) are allowed only for the unit created in the same transaction,
-- which a trigger on units records in a transaction-local setting.
CREATE FUNCTION app.onboarding_unit_id() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.onboarding_unit_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app.remember_onboarded_unit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM set_config('app.onboarding_unit_id', NEW.id::text, true);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER units_remember_onboarded BEFORE INSERT ON units FOR EACH ROW EXECUTE FUNCTION app.remember_onboarded_unit();
--> statement-breakpoint
DROP POLICY identity_providers_unit ON identity_providers;
--> statement-breakpoint
CREATE POLICY identity_providers_unit ON identity_providers FOR ALL TO sextortion_app
USING ((app.current_scope() = 'unit' AND unit_id = app.current_unit_id()) OR (app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id()))
WITH CHECK ((app.current_scope() = 'unit' AND unit_id = app.current_unit_id()) OR (app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id()));
--> statement-breakpoint
DROP POLICY integration_clients_unit ON integration_clients;
--> statement-breakpoint
CREATE POLICY integration_clients_unit ON integration_clients FOR ALL TO sextortion_app
USING ((app.current_scope() = 'unit' AND unit_id = app.current_unit_id()) OR (app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id()))
WITH CHECK ((app.current_scope() = 'unit' AND unit_id = app.current_unit_id()) OR (app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id()));
--> statement-breakpoint
DROP POLICY audit_events_append ON audit_events;
--> statement-breakpoint
CREATE POLICY audit_events_append ON audit_events FOR INSERT TO sextortion_app
WITH CHECK (
  (app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id())
  OR (app.current_scope() IN ('unit', 'district', 'station') AND unit_id = app.current_unit_id())
);
--> statement-breakpoint
DROP POLICY districts_write ON districts;
--> statement-breakpoint
CREATE POLICY districts_write ON districts FOR INSERT TO sextortion_app
WITH CHECK ((app.current_scope() = 'unit' AND unit_id = app.current_unit_id()) OR (app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id()));
--> statement-breakpoint
DROP POLICY districts_update ON districts;
--> statement-breakpoint
CREATE POLICY districts_update ON districts FOR UPDATE TO sextortion_app
USING (app.current_scope() = 'unit' AND unit_id = app.current_unit_id())
WITH CHECK (app.current_scope() = 'unit' AND unit_id = app.current_unit_id());
--> statement-breakpoint
DROP POLICY stations_write ON stations;
--> statement-breakpoint
CREATE POLICY stations_write ON stations FOR INSERT TO sextortion_app
WITH CHECK ((app.current_scope() = 'unit' AND unit_id = app.current_unit_id()) OR (app.current_scope() = 'platform' AND unit_id = app.onboarding_unit_id()));
--> statement-breakpoint
DROP POLICY stations_update ON stations;
--> statement-breakpoint
CREATE POLICY stations_update ON stations FOR UPDATE TO sextortion_app
USING (app.current_scope() = 'unit' AND unit_id = app.current_unit_id())
WITH CHECK (app.current_scope() = 'unit' AND unit_id = app.current_unit_id());
