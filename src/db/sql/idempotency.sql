-- Idempotency-Key records: a key is claimed in the change's own transaction, its result stored
-- with it, and read back on a retry. The minute sweep purges old records.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.claim_idempotency_key(p_owner text, p_key text, p_fingerprint text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
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
$function$;

CREATE OR REPLACE FUNCTION app.remember_result(p_owner text, p_key text, p_result jsonb)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  IF p_result IS NULL OR jsonb_array_length(p_result) = 0 THEN
    RAISE EXCEPTION 'nothing changed: the Idempotency-Key is released' USING ERRCODE = 'SOP04';
  END IF;
  UPDATE public.idempotency_records SET result = p_result WHERE owner = p_owner AND key = p_key AND result IS NULL;
  RETURN true;
END
$function$;

CREATE OR REPLACE FUNCTION app.require_remembered(p_owner text, p_key text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  IF EXISTS (SELECT 1 FROM public.idempotency_records WHERE owner = p_owner AND key = p_key AND result IS NULL) THEN
    RAISE EXCEPTION 'nothing changed: the Idempotency-Key is released' USING ERRCODE = 'SOP04';
  END IF;
  RETURN true;
END
$function$;

CREATE OR REPLACE FUNCTION app.idempotent_result(p_owner text, p_key text)
 RETURNS TABLE(fingerprint text, result jsonb)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT r.fingerprint, r.result FROM public.idempotency_records r
   WHERE r.owner = p_owner AND r.key = p_key
     AND r.unit_id IS NOT DISTINCT FROM nullif(current_setting('app.unit_id', true), '')::uuid
$function$;

CREATE OR REPLACE FUNCTION app.purge_idempotency_records(p_older_than interval)
 RETURNS integer
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  WITH purged AS (DELETE FROM public.idempotency_records WHERE created_at < now() - p_older_than RETURNING 1)
  SELECT count(*)::int FROM purged
$function$;
