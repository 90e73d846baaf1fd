-- The role every tenant-scoped transaction runs as (the runner switches to it with
-- set_config('role', ...)). It owns nothing, cannot log in, and cannot bypass row-level
-- security. Roles are cluster-wide, so a second database on the same server finds it there.
-- The API logs in as a separate role that is only a member of this one (see README).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sextortion_app') THEN
    CREATE ROLE sextortion_app NOLOGIN NOINHERIT;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sextortion_app' AND (rolsuper OR rolbypassrls OR rolcanlogin)) THEN
    RAISE EXCEPTION 'role sextortion_app exists with SUPERUSER, BYPASSRLS or LOGIN: remove them before migrating';
  END IF;
END
$$;
