-- The minute sweep's own record: when each job last ran and how it ended, for /health. The
-- sweep runs as the app role, which has no grant on the table: these run as its owner.
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.record_scheduler_run(p_job text, p_started_at timestamp with time zone, p_finished_at timestamp with time zone, p_outcome text, p_detail text)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  INSERT INTO public.scheduler_runs (job, started_at, finished_at, outcome, detail)
  VALUES (p_job, p_started_at, p_finished_at, p_outcome, left(p_detail, 500))
  ON CONFLICT (job) DO UPDATE
    SET started_at = excluded.started_at, finished_at = excluded.finished_at, outcome = excluded.outcome, detail = excluded.detail
$function$;

CREATE OR REPLACE FUNCTION app.scheduler_runs()
 RETURNS TABLE(job text, started_at timestamp with time zone, finished_at timestamp with time zone, outcome text, detail text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
  SELECT r.job, r.started_at, r.finished_at, r.outcome, r.detail FROM public.scheduler_runs r ORDER BY r.job
$function$;

REVOKE ALL ON FUNCTION app.record_scheduler_run(text, timestamp with time zone, timestamp with time zone, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.record_scheduler_run(text, timestamp with time zone, timestamp with time zone, text, text) TO sextortion_app;
REVOKE ALL ON FUNCTION app.scheduler_runs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.scheduler_runs() TO sextortion_app;
