ALTER TABLE "case_steps" ADD COLUMN "due_announced" text;--> statement-breakpoint
ALTER TABLE "integration_events" ADD COLUMN "district_id" uuid;--> statement-breakpoint
ALTER TABLE "integration_events" ADD COLUMN "station_id" uuid;--> statement-breakpoint
ALTER TABLE "integration_events" ADD COLUMN "transaction_id" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL;--> statement-breakpoint
CREATE INDEX "case_steps_due_announcement_idx" ON "case_steps" USING btree ("due_at","id") WHERE "case_steps"."status" = 'pending' and "case_steps"."due_announced" is distinct from 'overdue';--> statement-breakpoint
CREATE INDEX "integration_events_feed_idx" ON "integration_events" USING btree ("unit_id","transaction_id","id");--> statement-breakpoint
CREATE INDEX "integration_events_district_feed_idx" ON "integration_events" USING btree ("district_id","transaction_id","id");--> statement-breakpoint
CREATE INDEX "integration_events_station_feed_idx" ON "integration_events" USING btree ("station_id","transaction_id","id");--> statement-breakpoint
UPDATE "integration_events" e SET "district_id" = c."district_id", "station_id" = c."station_id" FROM "cases" c WHERE c."id" = e."case_id";--> statement-breakpoint
UPDATE "integration_events" SET "type" = 'step.escalated' WHERE "type" = 'sop.step_escalated';--> statement-breakpoint
UPDATE "integration_events" SET "type" = 'preservation.expiring' WHERE "type" = 'request.preservation_expiring';--> statement-breakpoint
DROP POLICY "integration_events_read" ON "integration_events";--> statement-breakpoint
CREATE POLICY "integration_events_read" ON "integration_events" FOR SELECT TO sextortion_app
USING (unit_id = app.current_unit_id() AND CASE app.current_scope()
  WHEN 'unit' THEN true
  WHEN 'district' THEN district_id = app.current_district_id()
  WHEN 'station' THEN station_id = app.current_station_id()
  ELSE false END);
