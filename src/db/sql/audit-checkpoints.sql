-- Signed checkpoints of each unit's audit chain: the minute sweep reads the heads that moved since
-- their last checkpoint, the Worker signs each with the token signing key, and records it here.
-- The one current definition: applied by the migrate step whenever this file changes.

-- Every unit's head: for the scheduler only, never inside a request's tenant context.
CREATE OR REPLACE FUNCTION app.audit_heads_to_checkpoint(p_limit integer)
 RETURNS TABLE(unit_id uuid, unit_code text, sequence bigint, hash text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  RETURN QUERY
  SELECT h.unit_id, u.code, h.last_sequence, h.last_hash
    FROM public.audit_chain_heads h
    JOIN public.units u ON u.id = h.unit_id
   WHERE h.last_sequence > coalesce((SELECT max(c.sequence) FROM public.audit_checkpoints c WHERE c.unit_id = h.unit_id), 0)
   ORDER BY h.unit_id
   LIMIT p_limit;
END
$function$;

-- Records signed checkpoints, each only if the chain really holds that hash at that sequence. The scheduler's alone.
CREATE OR REPLACE FUNCTION app.record_audit_checkpoints(p_checkpoints jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_recorded integer;
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  WITH recorded AS (
    INSERT INTO public.audit_checkpoints (unit_id, sequence, hash, signed_at, key_id, checkpoint)
    SELECT c.unit_id, c.sequence, c.hash, c.signed_at, c.key_id, c.checkpoint
      FROM jsonb_to_recordset(p_checkpoints) AS c(unit_id uuid, sequence bigint, hash text, signed_at timestamptz, key_id text, checkpoint text)
     WHERE EXISTS (SELECT 1 FROM public.audit_events e WHERE e.unit_id = c.unit_id AND e.sequence = c.sequence AND e.hash = c.hash)
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::integer INTO v_recorded FROM recorded;
  RETURN v_recorded;
END
$function$;

REVOKE ALL ON FUNCTION app.audit_heads_to_checkpoint(integer), app.record_audit_checkpoints(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.audit_heads_to_checkpoint(integer), app.record_audit_checkpoints(jsonb) TO sextortion_app;
