CREATE TABLE "preservation_defaults" (
	"category" text PRIMARY KEY NOT NULL,
	"preservation_days" integer NOT NULL,
	"extension_days" integer,
	"source_note" text NOT NULL,
	CONSTRAINT "preservation_defaults_days" CHECK ("preservation_defaults"."preservation_days" > 0 and ("preservation_defaults"."extension_days" is null or "preservation_defaults"."extension_days" > 0))
);
--> statement-breakpoint
ALTER TABLE "platform_requests" ADD COLUMN "reminded_at" timestamp with time zone;--> statement-breakpoint
-- Defaults as policy, from the domain brief: change a row when a unit's practice or the law says otherwise.
INSERT INTO "preservation_defaults" ("category", "preservation_days", "extension_days", "source_note") VALUES
  ('social', 90, 90, 'US platforms preserve for 90 days, extendable once by 90 (18 U.S.C. 2703(f)); Indian intermediaries keep 180 days (IT Rules 2021, 3(1)(g)). The shorter period is assumed when the directory names none.'),
  ('messaging', 90, 90, 'As for social platforms: 90 days, extendable once by 90, unless the directory says otherwise.'),
  ('dating', 90, 90, 'As for social platforms: 90 days, extendable once by 90, unless the directory says otherwise.'),
  ('gaming', 90, 90, 'As for social platforms: 90 days, extendable once by 90, unless the directory says otherwise.'),
  ('payment', 180, 180, 'Payment apps as intermediaries: 180 days (IT Rules 2021, 3(1)(g)); a hold on the trail is renewed by a further request.'),
  ('bank', 180, 180, 'A hold on the payment trail through the bank nodal officer, asked for 180 days and renewed by a further request.'),
  ('telecom', 730, NULL, 'Telecom licences keep call and IP detail records for two years.'),
  ('portal', 90, 90, 'Assumed 90 days, extendable once by 90.'),
  ('other', 90, 90, 'Assumed 90 days, extendable once by 90, for any body the directory does not know.')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
GRANT SELECT ON "preservation_defaults" TO sextortion_app;
--> statement-breakpoint
ALTER TABLE "preservation_defaults" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "preservation_defaults" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "preservation_defaults_read" ON "preservation_defaults" FOR SELECT TO sextortion_app USING (true);
--> statement-breakpoint
-- The platform-request sweeps rebuild checklists as the owner (app.rebuild_checklists_for_sweep): they read the case's
-- facts, the law in force and these defaults across every unit.
DO $$
BEGIN
  EXECUTE format('CREATE POLICY preservation_defaults_sweep ON preservation_defaults FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY cases_sweep ON cases FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY case_payments_sweep ON case_payments FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY case_references_sweep ON case_references FOR SELECT TO %I USING (true)', current_user);
  EXECUTE format('CREATE POLICY legal_provisions_sweep ON legal_provisions FOR SELECT TO %I USING (true)', current_user);
END
$$;
--> statement-breakpoint
INSERT INTO letter_templates (unit_id, request_kind, body) VALUES
  (NULL, 'preservation_extension', 'To: {{platform.name}}
Subject: Extension of the preservation of account data, case {{case.reference}}

Under {{legalSections}}, please extend by a further period the preservation of all subscriber information, logs and content of the accounts below that we asked you to preserve on this case, pending a formal request.

{{identifiers}}

{{officer}}
{{today}}');
