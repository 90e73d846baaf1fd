-- Idempotency records are reached only through these functions, which scope them to the
-- caller's key and tenancy. The claim runs first in the request's transaction: a key in use
-- by a transaction still running aborts with SOP03 (409), a key used before aborts with SOP02
-- (the runner then replays the stored result), otherwise the key is claimed and the change
-- stores its result with app.remember_result() in the same statement.
ALTER TABLE idempotency_records ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE idempotency_records FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY idempotency_records_functions ON idempotency_records FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
--> statement-breakpoint
CREATE FUNCTION app.claim_idempotency_key(p_owner text, p_key text, p_fingerprint text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_owner || ' ' || p_key, 7)) THEN
    RAISE EXCEPTION 'a request with this Idempotency-Key is still in progress' USING ERRCODE = 'SOP03';
  END IF;
  IF EXISTS (SELECT 1 FROM public.idempotency_records WHERE owner = p_owner AND key = p_key) THEN
    RAISE EXCEPTION 'this Idempotency-Key was used before' USING ERRCODE = 'SOP02';
  END IF;
  INSERT INTO public.idempotency_records (owner, key, unit_id, fingerprint)
  VALUES (p_owner, p_key, nullif(current_setting('app.unit_id', true), '')::uuid, p_fingerprint);
  RETURN true;
END
$$;
--> statement-breakpoint
CREATE FUNCTION app.remember_result(p_owner text, p_key text, p_result jsonb) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE public.idempotency_records SET result = coalesce(p_result, '[]'::jsonb)
   WHERE owner = p_owner AND key = p_key AND result IS NULL
  RETURNING true
$$;
--> statement-breakpoint
-- The stored outcome, only within the tenancy that made it.
CREATE FUNCTION app.idempotent_result(p_owner text, p_key text) RETURNS TABLE (fingerprint text, result jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT r.fingerprint, r.result FROM public.idempotency_records r
   WHERE r.owner = p_owner AND r.key = p_key
     AND r.unit_id IS NOT DISTINCT FROM nullif(current_setting('app.unit_id', true), '')::uuid
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app.claim_idempotency_key(text, text, text), app.remember_result(text, text, jsonb), app.idempotent_result(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app.claim_idempotency_key(text, text, text), app.remember_result(text, text, jsonb), app.idempotent_result(text, text) TO sextortion_app;
