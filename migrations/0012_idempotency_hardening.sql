-- A change that matched nothing (a 404) must not use up its Idempotency-Key: remembering an
-- empty result aborts the transaction (SQLSTATE SOP04), so the claim is rolled back too and a
-- retry runs again. Records older than a day are purged by the minute sweep.
CREATE OR REPLACE FUNCTION app.remember_result(p_owner text, p_key text, p_result jsonb) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF p_result IS NULL OR jsonb_array_length(p_result) = 0 THEN
    RAISE EXCEPTION 'nothing changed: the Idempotency-Key is released' USING ERRCODE = 'SOP04';
  END IF;
  UPDATE public.idempotency_records SET result = p_result WHERE owner = p_owner AND key = p_key AND result IS NULL;
  RETURN true;
END
$$;
--> statement-breakpoint
-- Runs after the change in the same batch: if the change stored no result (it matched
-- nothing, so its remember step never ran), release the key the same way.
CREATE FUNCTION app.require_remembered(p_owner text, p_key text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM public.idempotency_records WHERE owner = p_owner AND key = p_key AND result IS NULL) THEN
    RAISE EXCEPTION 'nothing changed: the Idempotency-Key is released' USING ERRCODE = 'SOP04';
  END IF;
  RETURN true;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.require_remembered(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.require_remembered(text, text) TO sextortion_app;
--> statement-breakpoint
CREATE FUNCTION app.purge_idempotency_records(p_older_than interval) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  WITH purged AS (DELETE FROM public.idempotency_records WHERE created_at < now() - p_older_than RETURNING 1)
  SELECT count(*)::int FROM purged
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.purge_idempotency_records(interval) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.purge_idempotency_records(interval) TO sextortion_app;
--> statement-breakpoint
-- Entering a tenant also clears the onboarding marker a reused connection might carry.
CREATE OR REPLACE FUNCTION app.enter_tenant(p_scope text, p_unit_code text, p_district_code text, p_station_code text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_unit_id uuid;
  v_district_id uuid;
  v_station_id uuid;
BEGIN
  PERFORM set_config('app.scope', '', true),
          set_config('app.unit_id', '', true),
          set_config('app.district_id', '', true),
          set_config('app.station_id', '', true),
          set_config('app.onboarding_unit_id', '', true);
  IF p_scope IS NULL THEN
    RETURN false;
  END IF;
  IF p_scope = 'platform' THEN
    PERFORM set_config('app.scope', 'platform', true);
    RETURN true;
  END IF;

  SELECT id INTO v_unit_id FROM public.units WHERE code = p_unit_code;
  IF v_unit_id IS NOT NULL AND p_scope = 'district' THEN
    SELECT id INTO v_district_id FROM public.districts WHERE code = p_district_code AND unit_id = v_unit_id;
  ELSIF v_unit_id IS NOT NULL AND p_scope = 'station' THEN
    SELECT id, district_id INTO v_station_id, v_district_id FROM public.stations WHERE code = p_station_code AND unit_id = v_unit_id;
  END IF;
  IF v_unit_id IS NULL
     OR p_scope NOT IN ('unit', 'district', 'station')
     OR (p_scope = 'district' AND v_district_id IS NULL)
     OR (p_scope = 'station' AND v_station_id IS NULL) THEN
    RAISE EXCEPTION 'unknown tenancy' USING ERRCODE = 'SOP01';
  END IF;

  PERFORM set_config('app.scope', p_scope, true),
          set_config('app.unit_id', v_unit_id::text, true),
          set_config('app.district_id', coalesce(v_district_id::text, ''), true),
          set_config('app.station_id', coalesce(v_station_id::text, ''), true);
  RETURN true;
END
$$;
