-- The integration events a change raises, written by triggers in the change's own transaction
-- (the transactional outbox integration_events). Payloads carry ids, codes, step keys and times
-- only: a receiver fetches details with its own token. Sweeps write their own events
-- (step.escalated, step.due_soon/overdue, preservation.expiring, request.platform_deadline_missed).
-- The one current definition: applied by the migrate step whenever this file changes.

-- Needs the scope columns of migration 0029: before it has run, this fails and the file waits for it
-- (the triggers would otherwise fire inside the migrations that rewrite cases and steps).
SELECT district_id, station_id, transaction_id FROM public.integration_events LIMIT 0;

-- Every event names the station and district it belongs to: row-level security scopes the feed by them.
CREATE OR REPLACE FUNCTION app.stamp_integration_event_scope()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  IF NEW.case_id IS NOT NULL AND NEW.station_id IS NULL THEN
    SELECT c.district_id, c.station_id INTO NEW.district_id, NEW.station_id FROM public.cases c WHERE c.id = NEW.case_id;
  END IF;
  RETURN NEW;
END
$function$;

CREATE OR REPLACE TRIGGER integration_events_scope BEFORE INSERT ON public.integration_events FOR EACH ROW EXECUTE FUNCTION app.stamp_integration_event_scope();

CREATE OR REPLACE FUNCTION app.raise_case_events()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.integration_events (unit_id, type, case_id, district_id, station_id, payload, occurred_at)
    SELECT n.unit_id, 'case.reported', n.id, n.district_id, n.station_id,
           jsonb_build_object('caseId', n.id, 'stationCode', n.station_code, 'status', n.status, 'reportedAt', n.reported_at), app.now()
      FROM new_cases n;
    RETURN NULL;
  END IF;
  INSERT INTO public.integration_events (unit_id, type, case_id, district_id, station_id, payload, occurred_at)
  SELECT n.unit_id, e.type, n.id, n.district_id, n.station_id, e.payload, app.now()
    FROM new_cases n JOIN old_cases o ON o.id = n.id
   CROSS JOIN LATERAL (VALUES
     ('case.transferred', o.station_id IS DISTINCT FROM n.station_id,
      jsonb_build_object('caseId', n.id, 'fromStationId', o.station_id, 'toStationId', n.station_id, 'stationCode', n.station_code)),
     ('case.assigned', o.assigned_officer_subject IS DISTINCT FROM n.assigned_officer_subject,
      jsonb_build_object('caseId', n.id, 'stationCode', n.station_code, 'officerSubject', n.assigned_officer_subject)),
     ('case.status_changed', o.status IS DISTINCT FROM n.status,
      jsonb_build_object('caseId', n.id, 'stationCode', n.station_code, 'from', o.status, 'to', n.status))
   ) AS e(type, changed, payload)
   WHERE e.changed;
  RETURN NULL;
END
$function$;

CREATE OR REPLACE TRIGGER cases_reported_events AFTER INSERT ON public.cases REFERENCING NEW TABLE AS new_cases
  FOR EACH STATEMENT EXECUTE FUNCTION app.raise_case_events();

CREATE OR REPLACE TRIGGER cases_changed_events AFTER UPDATE ON public.cases REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
  FOR EACH STATEMENT EXECUTE FUNCTION app.raise_case_events();

-- step.completed for each step closed; checklist.changed once per case whose steps were added, retired or revived.
CREATE OR REPLACE FUNCTION app.raise_case_step_events()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.integration_events (unit_id, type, case_id, district_id, station_id, payload, occurred_at)
    SELECT n.unit_id, 'checklist.changed', n.case_id, n.district_id, n.station_id,
           jsonb_build_object('caseId', n.case_id, 'added', jsonb_agg(n.step_key ORDER BY n.step_key), 'retired', '[]'::jsonb, 'revived', '[]'::jsonb), app.now()
      FROM new_steps n
     GROUP BY n.case_id, n.unit_id, n.district_id, n.station_id;
    RETURN NULL;
  END IF;
  INSERT INTO public.integration_events (unit_id, type, case_id, district_id, station_id, payload, occurred_at)
  SELECT n.unit_id, 'step.completed', n.case_id, n.district_id, n.station_id,
         jsonb_build_object('caseId', n.case_id, 'caseStepId', n.id, 'stepKey', n.step_key, 'outcome', n.status, 'closedAt', n.closed_at, 'dueAt', n.due_at), app.now()
    FROM new_steps n JOIN old_steps o ON o.id = n.id
   WHERE o.status = 'pending' AND n.status IN ('done', 'skipped', 'not_applicable');
  INSERT INTO public.integration_events (unit_id, type, case_id, district_id, station_id, payload, occurred_at)
  SELECT n.unit_id, 'checklist.changed', n.case_id, n.district_id, n.station_id,
         jsonb_build_object('caseId', n.case_id, 'added', '[]'::jsonb,
                            'retired', coalesce(jsonb_agg(n.step_key ORDER BY n.step_key) FILTER (WHERE n.status = 'retired'), '[]'::jsonb),
                            'revived', coalesce(jsonb_agg(n.step_key ORDER BY n.step_key) FILTER (WHERE o.status = 'retired'), '[]'::jsonb)), app.now()
    FROM new_steps n JOIN old_steps o ON o.id = n.id
   WHERE o.status IS DISTINCT FROM n.status AND (n.status = 'retired' OR o.status = 'retired')
   GROUP BY n.case_id, n.unit_id, n.district_id, n.station_id;
  RETURN NULL;
END
$function$;

CREATE OR REPLACE TRIGGER case_steps_added_events AFTER INSERT ON public.case_steps REFERENCING NEW TABLE AS new_steps
  FOR EACH STATEMENT EXECUTE FUNCTION app.raise_case_step_events();

CREATE OR REPLACE TRIGGER case_steps_changed_events AFTER UPDATE ON public.case_steps REFERENCING OLD TABLE AS old_steps NEW TABLE AS new_steps
  FOR EACH STATEMENT EXECUTE FUNCTION app.raise_case_step_events();

-- Each platform request transition: request.drafted when drafted, then request.<status> for every move.
CREATE OR REPLACE FUNCTION app.raise_platform_request_events()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
    SELECT n.unit_id, CASE n.status WHEN 'draft' THEN 'request.drafted' ELSE 'request.' || n.status END, n.case_id,
           jsonb_build_object('caseId', n.case_id, 'requestId', n.id, 'platformKey', n.platform_key, 'kind', n.kind, 'from', NULL, 'to', n.status,
                              'respondBy', n.respond_by, 'preservationUntil', n.preservation_until), app.now()
      FROM new_requests n;
    RETURN NULL;
  END IF;
  INSERT INTO public.integration_events (unit_id, type, case_id, payload, occurred_at)
  SELECT n.unit_id, 'request.' || n.status, n.case_id,
         jsonb_build_object('caseId', n.case_id, 'requestId', n.id, 'platformKey', n.platform_key, 'kind', n.kind, 'from', o.status, 'to', n.status,
                            'respondBy', n.respond_by, 'preservationUntil', n.preservation_until), app.now()
    FROM new_requests n JOIN old_requests o ON o.id = n.id
   WHERE o.status IS DISTINCT FROM n.status;
  RETURN NULL;
END
$function$;

CREATE OR REPLACE TRIGGER platform_requests_added_events AFTER INSERT ON public.platform_requests REFERENCING NEW TABLE AS new_requests
  FOR EACH STATEMENT EXECUTE FUNCTION app.raise_platform_request_events();

CREATE OR REPLACE TRIGGER platform_requests_changed_events AFTER UPDATE ON public.platform_requests REFERENCING OLD TABLE AS old_requests NEW TABLE AS new_requests
  FOR EACH STATEMENT EXECUTE FUNCTION app.raise_platform_request_events();
