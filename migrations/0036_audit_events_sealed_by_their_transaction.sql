DROP INDEX "audit_events_unsealed_idx";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "transaction_id" bigint DEFAULT (pg_current_xact_id()::text)::bigint NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_events_unsealed_idx" ON "audit_events" USING btree ("transaction_id","ordinal") WHERE "audit_events"."sequence" is null;