CREATE TABLE "webhook_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"unit_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"district_id" uuid,
	"station_id" uuid,
	"url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"status" text DEFAULT 'enabled' NOT NULL,
	"disabled_reason" text,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT app.now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT app.now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "webhook_subscriptions_scope" CHECK ("webhook_subscriptions"."scope" in ('unit', 'district', 'station')),
	CONSTRAINT "webhook_subscriptions_placement" CHECK (case "webhook_subscriptions"."scope" when 'unit' then "webhook_subscriptions"."district_id" is null and "webhook_subscriptions"."station_id" is null
                               when 'district' then "webhook_subscriptions"."district_id" is not null and "webhook_subscriptions"."station_id" is null
                               else "webhook_subscriptions"."station_id" is not null and "webhook_subscriptions"."district_id" is null end),
	CONSTRAINT "webhook_subscriptions_event_types" CHECK (cardinality("webhook_subscriptions"."event_types") > 0),
	CONSTRAINT "webhook_subscriptions_status" CHECK ("webhook_subscriptions"."status" in ('enabled', 'disabled')),
	CONSTRAINT "webhook_subscriptions_previous_secret_expiry" CHECK (("webhook_subscriptions"."previous_secret" is null) = ("webhook_subscriptions"."previous_secret_expires_at" is null)),
	CONSTRAINT "webhook_subscriptions_consecutive_failures" CHECK ("webhook_subscriptions"."consecutive_failures" >= 0)
);
--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_unit_idx" ON "webhook_subscriptions" USING btree ("unit_id","id");--> statement-breakpoint
ALTER TABLE webhook_subscriptions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_subscriptions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY webhook_subscriptions_unit ON webhook_subscriptions FOR ALL TO sextortion_app
USING (unit_id = app.current_unit_id() AND app.current_scope() = 'unit')
WITH CHECK (unit_id = app.current_unit_id() AND app.current_scope() = 'unit');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON webhook_subscriptions TO sextortion_app;
--> statement-breakpoint
DO $$
BEGIN
  -- Delivery and failure bookkeeping will run as the owner, across every unit.
  EXECUTE format('CREATE POLICY webhook_subscriptions_sweep ON webhook_subscriptions FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
