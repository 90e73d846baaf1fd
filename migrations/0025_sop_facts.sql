ALTER TABLE "platform_requests" DROP CONSTRAINT "platform_requests_kind";--> statement-breakpoint
ALTER TABLE "case_steps" ADD COLUMN "definition_key" text;--> statement-breakpoint
UPDATE "case_steps" SET "definition_key" = "step_key";--> statement-breakpoint
ALTER TABLE "case_steps" ALTER COLUMN "definition_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "case_steps" ADD COLUMN "platform_key" text;--> statement-breakpoint
ALTER TABLE "case_steps" ADD COLUMN "escalated_role" text;--> statement-breakpoint
UPDATE "case_steps" SET "escalated_role" = "definition"->'escalation'->("escalation_level" - 1)->>'role' WHERE "escalation_level" > 0;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "safety_risk" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "safety_screened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "never_contact_through_family" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "consent_to_contact" boolean;--> statement-breakpoint
ALTER TABLE "platform_requests" ADD COLUMN "respond_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "platform_requests" ADD COLUMN "deadline_missed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "platform_requests" ADD COLUMN "extends_request_id" uuid;--> statement-breakpoint
ALTER TABLE "platform_requests" ADD CONSTRAINT "platform_requests_extends_fk" FOREIGN KEY ("extends_request_id") REFERENCES "public"."platform_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "platform_requests_respond_by_idx" ON "platform_requests" USING btree ("respond_by") WHERE "platform_requests"."status" = 'sent' and "platform_requests"."deadline_missed_at" is null;--> statement-breakpoint
CREATE INDEX "platform_requests_preservation_until_idx" ON "platform_requests" USING btree ("preservation_until") WHERE "platform_requests"."preservation_until" is not null and "platform_requests"."status" in ('sent', 'acknowledged', 'actioned');--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_safety_risk" CHECK ("cases"."safety_risk" in ('low', 'medium', 'high'));--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_safety_screened" CHECK (("cases"."safety_risk" is null) = ("cases"."safety_screened_at" is null));--> statement-breakpoint
ALTER TABLE "platform_requests" ADD CONSTRAINT "platform_requests_kind" CHECK ("platform_requests"."kind" in ('takedown', 'preservation', 'preservation_extension', 'data_disclosure', 'emergency_disclosure', 'payment_hold', 'sim_imei_block'));--> statement-breakpoint
-- The safety screen is recorded by whoever works the case; the platform's clock is set when a request is sent.
GRANT UPDATE (safety_risk, safety_screened_at, never_contact_through_family, consent_to_contact) ON cases TO sextortion_app;--> statement-breakpoint
GRANT UPDATE (respond_by) ON platform_requests TO sextortion_app;
