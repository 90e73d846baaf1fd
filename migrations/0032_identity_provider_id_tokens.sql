ALTER TABLE "identity_providers" ADD COLUMN "accept_id_tokens" boolean DEFAULT false NOT NULL;--> statement-breakpoint
GRANT UPDATE (accept_id_tokens) ON identity_providers TO sextortion_app;
