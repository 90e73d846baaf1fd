ALTER TABLE "identity_providers" ADD COLUMN "station_sign_in" jsonb;--> statement-breakpoint
GRANT UPDATE (station_sign_in) ON identity_providers TO sextortion_app;
