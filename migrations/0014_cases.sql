ALTER TABLE "stations" ADD CONSTRAINT "stations_id_district_unit_unique" UNIQUE("id","district_id","unit_id");--> statement-breakpoint
CREATE TABLE "case_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"kind" text NOT NULL,
	"normalized" text NOT NULL,
	"display" text NOT NULL,
	"details" jsonb NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "case_identifiers_case_kind_value_unique" UNIQUE("case_id","kind","normalized"),
	CONSTRAINT "case_identifiers_source" CHECK ("case_identifiers"."source" in ('intake', 'added', 'payment'))
);
--> statement-breakpoint
CREATE TABLE "case_notes" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_payments" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"currency" text NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"reference" text,
	"payer" text,
	"payee" text,
	CONSTRAINT "case_payments_amount" CHECK ("case_payments"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "case_references" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"sections" text[] DEFAULT '{}' NOT NULL,
	"issued_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "case_references_case_kind_value_unique" UNIQUE("case_id","kind","value")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"unit_id" uuid NOT NULL,
	"district_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"station_code" text NOT NULL,
	"reported_station_id" uuid NOT NULL,
	"reported_district_id" uuid NOT NULL,
	"reported_station_code" text NOT NULL,
	"holder_station_ids" uuid[] NOT NULL,
	"holder_district_ids" uuid[] NOT NULL,
	"status" text DEFAULT 'reported' NOT NULL,
	"closure_reason" text,
	"closed_at" timestamp with time zone,
	"assigned_officer" jsonb,
	"assigned_officer_subject" text,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reported_by" text NOT NULL,
	"complainant" jsonb NOT NULL,
	"victim" jsonb NOT NULL,
	"victim_is_minor" boolean NOT NULL,
	"incident" jsonb NOT NULL,
	"platforms" text[] DEFAULT '{}' NOT NULL,
	"images_circulated" boolean DEFAULT false NOT NULL,
	"amount_demanded" numeric(14, 2),
	"amount_paid" numeric(14, 2) DEFAULT '0' NOT NULL,
	"currency" text DEFAULT 'INR' NOT NULL,
	"narrative" text DEFAULT '' NOT NULL,
	"routed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "cases_status" CHECK ("cases"."status" in ('reported', 'triaged', 'under_investigation', 'fir_registered', 'closed', 'transferred')),
	CONSTRAINT "cases_closure" CHECK (("cases"."status" = 'closed') = ("cases"."closure_reason" is not null and "cases"."closed_at" is not null)),
	CONSTRAINT "cases_holders" CHECK ("cases"."station_id" = any("cases"."holder_station_ids") and "cases"."reported_station_id" = any("cases"."holder_station_ids"))
);
--> statement-breakpoint
CREATE TABLE "custody_events" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"evidence_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"from_custodian" jsonb,
	"to_custodian" jsonb,
	"sha256" text,
	"matches" boolean,
	"note" text,
	CONSTRAINT "custody_events_kind" CHECK ("custody_events"."kind" in ('captured', 'handed_over', 'reverified'))
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY DEFAULT app.uuid_v7() NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"file_name" text,
	"media_type" text,
	"size_bytes" bigint,
	"sha256" text NOT NULL,
	"hash_origin" text NOT NULL,
	"captured_at" timestamp with time zone NOT NULL,
	"captured_by" jsonb NOT NULL,
	"custodian" jsonb NOT NULL,
	"integrity" text DEFAULT 'intact' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "evidence_items_id_case_unique" UNIQUE("id","case_id"),
	CONSTRAINT "evidence_items_sha256" CHECK ("evidence_items"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "evidence_items_integrity" CHECK ("evidence_items"."integrity" in ('intact', 'mismatch'))
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"name" text NOT NULL,
	"priority" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"min_amount_paid" numeric(14, 2),
	"min_amount_demanded" numeric(14, 2),
	"victim_is_minor" boolean,
	"images_circulated" boolean,
	"platforms_any" text[],
	"target_station_id" uuid NOT NULL,
	"target_district_id" uuid NOT NULL,
	"target_station_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "case_identifiers" ADD CONSTRAINT "case_identifiers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_identifiers" ADD CONSTRAINT "case_identifiers_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_payments" ADD CONSTRAINT "case_payments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_payments" ADD CONSTRAINT "case_payments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_references" ADD CONSTRAINT "case_references_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_references" ADD CONSTRAINT "case_references_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_station_in_unit_fk" FOREIGN KEY ("station_id","district_id","unit_id") REFERENCES "public"."stations"("id","district_id","unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_reported_station_in_unit_fk" FOREIGN KEY ("reported_station_id","reported_district_id","unit_id") REFERENCES "public"."stations"("id","district_id","unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custody_events" ADD CONSTRAINT "custody_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custody_events" ADD CONSTRAINT "custody_events_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custody_events" ADD CONSTRAINT "custody_events_evidence_fk" FOREIGN KEY ("evidence_id","case_id") REFERENCES "public"."evidence_items"("id","case_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_target_in_unit_fk" FOREIGN KEY ("target_station_id","target_district_id","unit_id") REFERENCES "public"."stations"("id","district_id","unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_identifiers_lookup_idx" ON "case_identifiers" USING btree ("unit_id","kind","normalized","case_id");--> statement-breakpoint
CREATE INDEX "case_notes_case_idx" ON "case_notes" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_payments_case_idx" ON "case_payments" USING btree ("case_id","paid_at");--> statement-breakpoint
CREATE INDEX "case_references_lookup_idx" ON "case_references" USING btree ("unit_id","kind","value");--> statement-breakpoint
CREATE INDEX "cases_unit_reported_idx" ON "cases" USING btree ("unit_id","reported_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_district_reported_idx" ON "cases" USING btree ("district_id","reported_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_station_reported_idx" ON "cases" USING btree ("station_id","reported_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_station_status_idx" ON "cases" USING btree ("station_id","status","reported_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "cases_assigned_idx" ON "cases" USING btree ("assigned_officer_subject","reported_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "cases"."assigned_officer_subject" is not null;--> statement-breakpoint
CREATE INDEX "cases_minor_idx" ON "cases" USING btree ("unit_id","reported_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "cases"."victim_is_minor";--> statement-breakpoint
CREATE INDEX "cases_platforms_idx" ON "cases" USING gin ("platforms");--> statement-breakpoint
CREATE INDEX "custody_events_evidence_idx" ON "custody_events" USING btree ("evidence_id","id");--> statement-breakpoint
CREATE INDEX "evidence_items_case_idx" ON "evidence_items" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "routing_rules_unit_idx" ON "routing_rules" USING btree ("unit_id","priority");--> statement-breakpoint
CREATE INDEX "audit_events_case_idx" ON "audit_events" USING btree ("case_id","sequence") WHERE "audit_events"."case_id" is not null;
