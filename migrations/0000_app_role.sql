-- The role every tenant-scoped transaction runs as (the runner switches to it with
-- set_config('role', ...)). It owns nothing, cannot log in, and cannot bypass row-level
-- security. Roles are cluster-wide, so a second database on the same server finds it there.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sextortion_app') THEN
    CREATE ROLE sextortion_app NOLOGIN NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
ALTER ROLE sextortion_app NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
--> statement-breakpoint
-- Lets the migrating role's own connections switch to the app role, so a deployment that
-- logs in with the owner's credentials still runs tenant work under row-level security.
GRANT sextortion_app TO CURRENT_USER;
