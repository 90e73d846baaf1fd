ALTER TABLE "identity_providers" DROP CONSTRAINT "identity_providers_algorithms";--> statement-breakpoint
ALTER TABLE "identity_providers" ADD COLUMN "accept_id_tokens" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "identity_providers" ADD CONSTRAINT "identity_providers_algorithms" CHECK ("identity_providers"."algorithms" <@ array['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] and cardinality("identity_providers"."algorithms") > 0);--> statement-breakpoint
GRANT UPDATE (accept_id_tokens) ON identity_providers TO sextortion_app;
