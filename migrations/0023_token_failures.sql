CREATE TABLE "token_failures" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"locked_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "token_failures_failures_positive" CHECK ("token_failures"."failures" > 0)
);
--> statement-breakpoint
CREATE INDEX "token_failures_updated_at_idx" ON "token_failures" USING btree ("updated_at");--> statement-breakpoint
-- Not tenant data: a client_id or an address partition and a count. The token endpoint reads and
-- writes it before the caller is known (no tenant context), or in the unit context of the client it
-- audits a lock for; the minute sweep purges it. No route reads it.
GRANT SELECT, INSERT, UPDATE, DELETE ON token_failures TO sextortion_app;
--> statement-breakpoint
ALTER TABLE token_failures ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE token_failures FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY token_failures_token_endpoint ON token_failures FOR ALL TO sextortion_app
USING (nullif(current_setting('app.scope', true), '') IS NULL OR current_setting('app.scope', true) = 'unit')
WITH CHECK (nullif(current_setting('app.scope', true), '') IS NULL OR current_setting('app.scope', true) = 'unit');
