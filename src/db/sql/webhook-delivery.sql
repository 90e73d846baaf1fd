-- Webhook delivery from the outbox: events fan out to the subscriptions they match, each
-- delivery is claimed for one attempt at a time, and every attempt is logged. The delivery work
-- (queue consumer, minute sweep, Node entry) runs these as the owner, with the clock passed in.
-- The one current definition: applied by the migrate step whenever this file changes.

-- Needs migration 0031's tables: before it has run, this fails and the file waits for it.
SELECT dispatched FROM public.integration_events LIMIT 0;

-- Whether a subscription receives an event: its types name the event's, and its scope (the unit,
-- one district or one station) holds it. Dispatch and replay both fan out by it.
CREATE OR REPLACE FUNCTION app.webhook_receives(p_event_types text[], p_scope text, p_district_id uuid, p_station_id uuid,
                                                p_event_type text, p_event_district_id uuid, p_event_station_id uuid)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT p_event_type = ANY (p_event_types)
     AND CASE p_scope WHEN 'unit' THEN true WHEN 'district' THEN p_district_id = p_event_district_id ELSE p_station_id = p_event_station_id END
$function$;

-- Up to p_limit events not yet fanned out, oldest transaction first: one delivery for each enabled
-- subscription of the event's unit whose scope holds it and whose types name it, due from the
-- moment the event occurred (whoever dispatches it). Concurrent calls take different events
-- (SKIP LOCKED); a delivery made twice is kept once.
CREATE OR REPLACE FUNCTION app.dispatch_integration_events(p_now timestamp with time zone, p_limit integer)
 RETURNS TABLE(events integer, deliveries uuid[])
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  RETURN QUERY
  WITH picked AS (
    SELECT e.id, e.unit_id, e.type, e.district_id, e.station_id, e.occurred_at
      FROM public.integration_events e
     WHERE NOT e.dispatched
     ORDER BY e.transaction_id, e.id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  ), marked AS (
    UPDATE public.integration_events e SET dispatched = true FROM picked p WHERE e.id = p.id RETURNING e.id
  ), created AS (
    INSERT INTO public.webhook_deliveries (unit_id, subscription_id, event_id, next_attempt_at, created_at, updated_at)
    SELECT p.unit_id, w.id, p.id, p.occurred_at, p_now, p_now
      FROM picked p
      JOIN public.webhook_subscriptions w ON w.unit_id = p.unit_id AND w.status = 'enabled'
       AND app.webhook_receives(w.event_types, w.scope, w.district_id, w.station_id, p.type, p.district_id, p.station_id)
    ON CONFLICT ON CONSTRAINT webhook_deliveries_subscription_event_unique DO NOTHING
    RETURNING id
  )
  SELECT (SELECT count(*)::integer FROM marked), coalesce((SELECT array_agg(id) FROM created), '{}');
END
$function$;

-- Pending deliveries whose time has come and that no attempt holds, to a subscription still enabled.
CREATE OR REPLACE FUNCTION app.due_webhook_deliveries(p_now timestamp with time zone, p_limit integer)
 RETURNS SETOF uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  RETURN QUERY
  SELECT d.id
    FROM public.webhook_deliveries d JOIN public.webhook_subscriptions w ON w.id = d.subscription_id
   WHERE d.status = 'pending' AND d.next_attempt_at <= p_now AND (d.leased_until IS NULL OR d.leased_until <= p_now) AND w.status = 'enabled'
   ORDER BY d.next_attempt_at
   LIMIT p_limit;
END
$function$;

-- One attempt's hold on a delivery that is due: what to send and where, or no row when it is
-- delivered, failed, not yet due, held by another attempt, or its subscription is disabled.
CREATE OR REPLACE FUNCTION app.claim_webhook_delivery(p_delivery uuid, p_now timestamp with time zone, p_lease_seconds integer)
 RETURNS TABLE(delivery_id uuid, schedule_attempts integer, url text, secrets text[],
               event_id uuid, event_type text, occurred_at timestamp with time zone, case_id uuid, district_id uuid, station_id uuid, payload jsonb)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  RETURN QUERY
  UPDATE public.webhook_deliveries d
     SET leased_until = p_now + make_interval(secs => p_lease_seconds)
    FROM public.webhook_subscriptions w, public.integration_events e
   WHERE d.id = p_delivery AND w.id = d.subscription_id AND e.id = d.event_id
     AND d.status = 'pending' AND w.status = 'enabled' AND d.next_attempt_at <= p_now
     AND (d.leased_until IS NULL OR d.leased_until <= p_now)
  RETURNING d.id, d.schedule_attempts, w.url,
            CASE WHEN w.previous_secret_expires_at > p_now THEN ARRAY[w.secret, w.previous_secret] ELSE ARRAY[w.secret] END,
            e.id, e.type, e.occurred_at, e.case_id, e.district_id, e.station_id, e.payload;
END
$function$;

-- The attempt's answer, logged; the delivery delivered, due again in p_retry_in_seconds, or failed
-- when that is null. The subscription counts failures in a row; once they reach p_disable_after_failures
-- over at least p_disable_after_seconds it is disabled, audited, and delivery.disabled is raised.
CREATE OR REPLACE FUNCTION app.record_webhook_attempt(p_delivery uuid, p_now timestamp with time zone, p_outcome text, p_response_status integer,
                                                      p_error text, p_duration_ms integer, p_retry_in_seconds integer,
                                                      p_disable_after_failures integer, p_disable_after_seconds integer)
 RETURNS TABLE(status text, subscription_disabled boolean)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
DECLARE
  v_delivery public.webhook_deliveries%ROWTYPE;
  v_subscription public.webhook_subscriptions%ROWTYPE;
  v_delivered boolean := p_outcome = 'delivered';
  v_status text;
  v_disable boolean := false;
BEGIN
  PERFORM app.refuse_inside_tenant_context();
  SELECT * INTO v_delivery FROM public.webhook_deliveries d WHERE d.id = p_delivery FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  INSERT INTO public.webhook_delivery_attempts (unit_id, delivery_id, subscription_id, event_id, attempt_number, attempted_at, outcome, response_status, error, duration_ms)
  VALUES (v_delivery.unit_id, v_delivery.id, v_delivery.subscription_id, v_delivery.event_id, v_delivery.attempts + 1, p_now, p_outcome, p_response_status,
          left(p_error, 500), p_duration_ms);
  v_status := CASE WHEN v_delivered THEN 'delivered' WHEN p_retry_in_seconds IS NULL THEN 'failed' ELSE 'pending' END;
  UPDATE public.webhook_deliveries d
     SET status = v_status, attempts = d.attempts + 1, schedule_attempts = d.schedule_attempts + 1, leased_until = NULL,
         last_attempt_at = p_now, last_response_status = p_response_status, last_error = CASE WHEN v_delivered THEN NULL ELSE left(p_error, 500) END,
         delivered_at = CASE WHEN v_delivered THEN p_now ELSE d.delivered_at END,
         next_attempt_at = CASE WHEN v_status = 'pending' THEN p_now + make_interval(secs => p_retry_in_seconds) ELSE d.next_attempt_at END,
         updated_at = p_now, version = d.version + 1
   WHERE d.id = v_delivery.id;

  UPDATE public.webhook_subscriptions w
     SET consecutive_failures = CASE WHEN v_delivered THEN 0 ELSE w.consecutive_failures + 1 END,
         failing_since = CASE WHEN v_delivered THEN NULL ELSE coalesce(w.failing_since, p_now) END
   WHERE w.id = v_delivery.subscription_id
  RETURNING * INTO v_subscription;
  v_disable := NOT v_delivered AND v_subscription.status = 'enabled' AND v_subscription.consecutive_failures >= p_disable_after_failures
               AND v_subscription.failing_since <= p_now - make_interval(secs => p_disable_after_seconds);
  IF v_disable THEN
    UPDATE public.webhook_subscriptions w
       SET status = 'disabled', disabled_reason = 'delivery kept failing', updated_at = p_now, version = w.version + 1
     WHERE w.id = v_subscription.id;
    INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
    VALUES (v_subscription.unit_id, 'delivery.disabled', NULL,
            jsonb_build_object('subscriptionId', v_subscription.id, 'consecutiveFailures', v_subscription.consecutive_failures,
                               'failingSince', v_subscription.failing_since, 'disabledAt', p_now, 'lastError', left(p_error, 500)), p_now);
    INSERT INTO public.audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id,
                                     sequence, previous_hash, hash)
    VALUES (v_subscription.unit_id, 'urn:sextortion-sop-api:scheduler', 'webhook-delivery', '{}', 'webhook.disabled', 'webhook_subscription', v_subscription.id::text,
            jsonb_build_object('status', 'disabled', 'reason', 'delivery kept failing', 'consecutiveFailures', v_subscription.consecutive_failures,
                               'failingSince', v_subscription.failing_since, 'asOf', p_now), NULL, NULL, 0, '', '');
  END IF;
  RETURN QUERY SELECT v_status, v_disable;
END
$function$;

GRANT EXECUTE ON FUNCTION app.webhook_receives(text[], text, uuid, uuid, text, uuid, uuid) TO sextortion_app;

GRANT EXECUTE ON FUNCTION app.dispatch_integration_events(timestamp with time zone, integer),
                          app.due_webhook_deliveries(timestamp with time zone, integer),
                          app.claim_webhook_delivery(uuid, timestamp with time zone, integer),
                          app.record_webhook_attempt(uuid, timestamp with time zone, text, integer, text, integer, integer, integer, integer)
   TO sextortion_app;
