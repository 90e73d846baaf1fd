CREATE TABLE "case_steps" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"district_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"step_key" text NOT NULL,
	"definition" jsonb NOT NULL,
	"owner_role" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"triggered_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"next_escalation_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "case_steps_case_key_unique" UNIQUE("case_id","step_key"),
	CONSTRAINT "case_steps_status" CHECK ("case_steps"."status" in ('pending', 'done', 'skipped', 'not_applicable', 'retired')),
	CONSTRAINT "case_steps_kind" CHECK ("case_steps"."kind" in ('statutory', 'policy', 'advisory'))
);
--> statement-breakpoint
CREATE TABLE "integration_events" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"unit_id" uuid NOT NULL,
	"type" text NOT NULL,
	"case_id" uuid,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_provisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"act" text NOT NULL,
	"title" text NOT NULL,
	"time_limit_minutes" integer,
	"effective_from" timestamp with time zone NOT NULL,
	"effective_to" timestamp with time zone,
	"source_note" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legal_provisions_code_effective_unique" UNIQUE("code","effective_from"),
	CONSTRAINT "legal_provisions_code_format" CHECK ("legal_provisions"."code" ~ '^[A-Z0-9][A-Z0-9.()-]*$'),
	CONSTRAINT "legal_provisions_period" CHECK ("legal_provisions"."effective_to" is null or "legal_provisions"."effective_to" > "legal_provisions"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "letter_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid,
	"request_kind" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_directory" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required_fields" text[] DEFAULT '{}' NOT NULL,
	"turnaround_hours" integer,
	"preservation_days" integer,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "platform_directory_key" CHECK ("platform_directory"."key" ~ '^[a-z0-9][a-z0-9_-]*$'),
	CONSTRAINT "platform_directory_category" CHECK ("platform_directory"."category" in ('social', 'messaging', 'dating', 'gaming', 'payment', 'bank', 'telecom', 'portal', 'other'))
);
--> statement-breakpoint
CREATE TABLE "platform_requests" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"platform_key" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"sop_step_key" text,
	"letter" text NOT NULL,
	"legal_sections" text[] DEFAULT '{}' NOT NULL,
	"transitions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"approved_by" text,
	"sent_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"external_reference" text,
	"preservation_until" timestamp with time zone,
	"reminder_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "platform_requests_kind" CHECK ("platform_requests"."kind" in ('takedown', 'preservation', 'data_disclosure', 'emergency_disclosure', 'payment_hold', 'sim_imei_block')),
	CONSTRAINT "platform_requests_status" CHECK ("platform_requests"."status" in ('draft', 'approved', 'sent', 'acknowledged', 'actioned', 'refused', 'expired'))
);
--> statement-breakpoint
CREATE TABLE "sop_versions" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"layer" text NOT NULL,
	"unit_id" uuid,
	"district_id" uuid,
	"station_id" uuid,
	"number" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"title" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"body" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sop_versions_layer" CHECK ("sop_versions"."layer" in ('base', 'unit', 'station')),
	CONSTRAINT "sop_versions_status" CHECK ("sop_versions"."status" in ('draft', 'published')),
	CONSTRAINT "sop_versions_owner" CHECK (("sop_versions"."layer" = 'base' and "sop_versions"."unit_id" is null and "sop_versions"."station_id" is null)
       or ("sop_versions"."layer" = 'unit' and "sop_versions"."unit_id" is not null and "sop_versions"."station_id" is null)
       or ("sop_versions"."layer" = 'station' and "sop_versions"."unit_id" is not null and "sop_versions"."station_id" is not null and "sop_versions"."district_id" is not null)),
	CONSTRAINT "sop_versions_published" CHECK (("sop_versions"."status" = 'published') = ("sop_versions"."number" is not null and "sop_versions"."published_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "step_escalations" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_step_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"role" text NOT NULL,
	"escalated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "step_escalations_step_level_unique" UNIQUE("case_step_id","level")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "images_circulated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sop_base_id" uuid;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sop_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "sop_station_id" uuid;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_events" ADD CONSTRAINT "integration_events_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_templates" ADD CONSTRAINT "letter_templates_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_directory" ADD CONSTRAINT "platform_directory_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_requests" ADD CONSTRAINT "platform_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "platform_requests" ADD CONSTRAINT "platform_requests_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sop_versions" ADD CONSTRAINT "sop_versions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sop_versions" ADD CONSTRAINT "sop_versions_station_in_unit_fk" FOREIGN KEY ("station_id","district_id","unit_id") REFERENCES "public"."stations"("id","district_id","unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_escalations" ADD CONSTRAINT "step_escalations_case_step_id_case_steps_id_fk" FOREIGN KEY ("case_step_id") REFERENCES "public"."case_steps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_steps_station_due_idx" ON "case_steps" USING btree ("station_id","due_at","id") WHERE "case_steps"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "case_steps_district_due_idx" ON "case_steps" USING btree ("district_id","due_at","id") WHERE "case_steps"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "case_steps_unit_due_idx" ON "case_steps" USING btree ("unit_id","due_at","id") WHERE "case_steps"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "case_steps_escalation_idx" ON "case_steps" USING btree ("next_escalation_at") WHERE "case_steps"."status" = 'pending' and "case_steps"."next_escalation_at" is not null;--> statement-breakpoint
CREATE INDEX "integration_events_unit_idx" ON "integration_events" USING btree ("unit_id","id");--> statement-breakpoint
CREATE INDEX "letter_templates_unit_kind_idx" ON "letter_templates" USING btree ("unit_id","request_kind");--> statement-breakpoint
CREATE INDEX "platform_directory_unit_key_idx" ON "platform_directory" USING btree ("unit_id","key");--> statement-breakpoint
CREATE INDEX "platform_requests_case_idx" ON "platform_requests" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "platform_requests_unit_platform_idx" ON "platform_requests" USING btree ("unit_id","platform_key","sent_at");--> statement-breakpoint
CREATE INDEX "platform_requests_reminder_idx" ON "platform_requests" USING btree ("reminder_at") WHERE "platform_requests"."reminder_at" is not null;--> statement-breakpoint
CREATE INDEX "sop_versions_in_force_idx" ON "sop_versions" USING btree ("layer","unit_id","station_id","number" DESC NULLS LAST) WHERE "sop_versions"."status" = 'published';--> statement-breakpoint
CREATE INDEX "step_escalations_case_idx" ON "step_escalations" USING btree ("case_id");