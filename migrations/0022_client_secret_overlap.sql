ALTER TABLE "integration_clients" ADD COLUMN "previous_secret_hash" text;--> statement-breakpoint
ALTER TABLE "integration_clients" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "integration_clients" ADD CONSTRAINT "integration_clients_previous_secret_expiry" CHECK ((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL));--> statement-breakpoint
GRANT UPDATE (previous_secret_hash, previous_secret_expires_at) ON integration_clients TO sextortion_app;--> statement-breakpoint
-- Replaced by app.client_credentials (src/db/sql/identity-lookups.sql), which also reads the previous secret.
DROP FUNCTION IF EXISTS app.integration_client(text);
