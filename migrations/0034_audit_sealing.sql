CREATE TABLE "audit_checkpoints" (
	"unit_id" uuid NOT NULL,
	"sequence" bigint NOT NULL,
	"hash" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"checkpoint" text NOT NULL,
	CONSTRAINT "audit_checkpoints_unit_id_sequence_pk" PRIMARY KEY("unit_id","sequence")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "sequence" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "previous_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "ordinal" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_ordinal_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_unsealed_idx" ON "audit_events" USING btree ("ordinal") WHERE "audit_events"."sequence" is null;--> statement-breakpoint
ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_checkpoints FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT ON audit_checkpoints TO sextortion_app;
--> statement-breakpoint
CREATE POLICY audit_checkpoints_read ON audit_checkpoints FOR SELECT TO sextortion_app
USING (app.current_scope() = 'unit' AND unit_id = app.current_unit_id());
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY audit_events_sealer_read ON audit_events FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY audit_events_sealer ON audit_events FOR UPDATE TO %I USING (sequence IS NULL) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY audit_checkpoints_signer ON audit_checkpoints FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
