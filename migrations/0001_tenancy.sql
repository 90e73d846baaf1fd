CREATE TABLE "districts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "districts_code_unique" UNIQUE("code"),
	CONSTRAINT "districts_id_unit_id_unique" UNIQUE("id","unit_id"),
	CONSTRAINT "districts_code_format" CHECK ("districts"."code" ~ '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$'),
	CONSTRAINT "districts_kind" CHECK ("districts"."kind" in ('district', 'commissionerate'))
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"district_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"is_cyber_crime_station" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_code_unique" UNIQUE("code"),
	CONSTRAINT "stations_code_format" CHECK ("stations"."code" ~ '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$')
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_code_unique" UNIQUE("code"),
	CONSTRAINT "units_code_format" CHECK ("units"."code" ~ '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$')
);
--> statement-breakpoint
ALTER TABLE "districts" ADD CONSTRAINT "districts_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_district_in_same_unit_fk" FOREIGN KEY ("district_id","unit_id") REFERENCES "public"."districts"("id","unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "districts_unit_id_idx" ON "districts" USING btree ("unit_id","code");--> statement-breakpoint
CREATE INDEX "stations_unit_id_idx" ON "stations" USING btree ("unit_id","code");--> statement-breakpoint
CREATE INDEX "stations_district_id_idx" ON "stations" USING btree ("district_id","code");