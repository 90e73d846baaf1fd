ALTER TABLE "identity_providers" ADD COLUMN "audience_claim" text DEFAULT 'aud' NOT NULL;--> statement-breakpoint
ALTER TABLE "identity_providers" ADD COLUMN "role_map" jsonb;--> statement-breakpoint
ALTER TABLE "identity_providers" ADD COLUMN "issuer_discovery" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "identity_providers" ADD COLUMN "key_check" jsonb;--> statement-breakpoint
ALTER TABLE "identity_providers" ADD CONSTRAINT "identity_providers_audience_claim" CHECK ("identity_providers"."audience_claim" in ('aud', 'client_id'));--> statement-breakpoint
GRANT UPDATE (audience_claim, role_map, issuer_discovery, key_check) ON identity_providers TO sextortion_app;
