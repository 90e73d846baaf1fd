CREATE TABLE "scheduler_runs" (
	"job" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"detail" text
);
--> statement-breakpoint
-- Not tenant data: job names and times. Only the definer functions in src/db/sql/scheduler.sql
-- (run as the owner) touch it, so the app role has no grant and the owner a policy of its own.
ALTER TABLE scheduler_runs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE scheduler_runs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY scheduler_runs_owner ON scheduler_runs FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
