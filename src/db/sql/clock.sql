-- The clock of a transaction: the time the request is served at, set by the tenant runner with
-- the tenant context (set_config('app.now', …, true)). Every SOP computation reads it, so a test
-- or a replay that sets the request's clock moves them all, row stamps (created_at, updated_at)
-- included. Without a setting (migrations, the owner's fixtures) it is the transaction's start.
-- Only the audit trail's occurred_at keeps the database's own clock (the chain's order).
-- The one current definition: applied by the migrate step whenever this file changes.

CREATE OR REPLACE FUNCTION app.now()
 RETURNS timestamp with time zone
 LANGUAGE sql
 STABLE
AS $function$
  SELECT coalesce(nullif(current_setting('app.now', true), '')::timestamptz, now())
$function$;
