CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"unit_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"schedule_attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT app.now() NOT NULL,
	"leased_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_response_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT app.now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT app.now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "webhook_deliveries_subscription_event_unique" UNIQUE("subscription_id","event_id"),
	CONSTRAINT "webhook_deliveries_status" CHECK ("webhook_deliveries"."status" in ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery_attempts" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"unit_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"attempt_number" integer NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"response_status" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "webhook_delivery_attempts_number_unique" UNIQUE("delivery_id","attempt_number"),
	CONSTRAINT "webhook_delivery_attempts_outcome" CHECK ("webhook_delivery_attempts"."outcome" in ('delivered', 'failed', 'refused'))
);
--> statement-breakpoint
-- Events from before delivery existed are not sent now: they count as dispatched (a replay sends them).
ALTER TABLE "integration_events" ADD COLUMN "dispatched" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "integration_events" ALTER COLUMN "dispatched" SET DEFAULT false;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscription_id_webhook_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."webhook_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_integration_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."integration_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subscription_idx" ON "webhook_deliveries" USING btree ("subscription_id","id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_attempts_subscription_idx" ON "webhook_delivery_attempts" USING btree ("subscription_id","id");--> statement-breakpoint
CREATE INDEX "integration_events_undispatched_idx" ON "integration_events" USING btree ("transaction_id","id") WHERE not "integration_events"."dispatched";--> statement-breakpoint
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_delivery_attempts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_delivery_attempts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The unit's administrators read deliveries and queue replays; attempts are written by the delivery work alone.
CREATE POLICY webhook_deliveries_unit ON webhook_deliveries FOR ALL TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.current_scope() = 'unit')
WITH CHECK (unit_id = app.current_unit_id() AND app.current_scope() = 'unit');
--> statement-breakpoint
CREATE POLICY webhook_delivery_attempts_unit ON webhook_delivery_attempts FOR SELECT TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.current_scope() = 'unit');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO sextortion_app;
--> statement-breakpoint
GRANT SELECT ON webhook_delivery_attempts TO sextortion_app;
--> statement-breakpoint
DO $$
BEGIN
  -- Dispatch, delivery and its bookkeeping run as the owner, across every unit.
  EXECUTE format('CREATE POLICY webhook_deliveries_sweep ON webhook_deliveries FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY webhook_delivery_attempts_sweep ON webhook_delivery_attempts FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
