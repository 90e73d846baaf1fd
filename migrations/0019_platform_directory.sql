-- The shipped directory of platforms and other bodies, and the default letters; a unit's own rows override them by key.
INSERT INTO platform_directory (unit_id, key, name, category, channels, required_fields, turnaround_hours, preservation_days, notes) VALUES
  (NULL, 'instagram', 'Instagram (Meta)', 'social', '[{"kind": "portal", "address": "Meta law enforcement online request system", "notes": "emergency requests 24x7 through the same system"}]'::jsonb, ARRAY['account URL', 'numeric account id', 'time window']::text[], 72, 90, 'Preserves for 90 days on request (US law), extendable once.'),
  (NULL, 'facebook', 'Facebook (Meta)', 'social', '[{"kind": "portal", "address": "Meta law enforcement online request system"}]'::jsonb, ARRAY['profile URL', 'numeric account id', 'time window']::text[], 72, 90, ''),
  (NULL, 'whatsapp', 'WhatsApp (Meta)', 'messaging', '[{"kind": "portal", "address": "Meta law enforcement online request system"}]'::jsonb, ARRAY['phone number in E.164', 'time window']::text[], 72, 90, 'Message content is end-to-end encrypted; metadata only.'),
  (NULL, 'youtube', 'YouTube (Google)', 'social', '[{"kind": "portal", "address": "Google law enforcement request system"}]'::jsonb, ARRAY['video or channel URL']::text[], 72, 90, ''),
  (NULL, 'google', 'Google', 'social', '[{"kind": "portal", "address": "Google law enforcement request system"}]'::jsonb, ARRAY['account e-mail', 'time window']::text[], 72, 90, ''),
  (NULL, 'x', 'X', 'social', '[{"kind": "portal", "address": "X legal request site"}]'::jsonb, ARRAY['handle', 'numeric account id']::text[], 72, 90, ''),
  (NULL, 'snapchat', 'Snapchat', 'social', '[{"kind": "portal", "address": "Snap law enforcement site"}]'::jsonb, ARRAY['username', 'time window']::text[], 72, 90, 'Content is short-lived: ask for preservation first.'),
  (NULL, 'telegram', 'Telegram', 'messaging', '[{"kind": "email", "address": "through the intermediary''s grievance officer", "notes": "no law-enforcement portal"}]'::jsonb, ARRAY['username or phone', 'message links']::text[], NULL, NULL, 'Discloses only on a valid judicial order.'),
  (NULL, 'dating-apps', 'Dating apps', 'dating', '[{"kind": "email", "address": "the app''s grievance officer under the IT Rules 2021"}]'::jsonb, ARRAY['profile link', 'account id']::text[], 72, 180, ''),
  (NULL, 'gaming-apps', 'Gaming apps', 'gaming', '[{"kind": "email", "address": "the app''s grievance officer under the IT Rules 2021"}]'::jsonb, ARRAY['player id', 'in-game name']::text[], 72, 180, ''),
  (NULL, 'banks', 'Banks (nodal officers)', 'bank', '[{"kind": "portal", "address": "national financial-fraud reporting system, through the 1930 helpline"}]'::jsonb, ARRAY['UTR or transaction reference', 'account number and IFSC', 'amount and time']::text[], 24, NULL, 'A debit freeze needs a magistrate''s order (BNSS 106/107).'),
  (NULL, 'payment-apps', 'UPI and wallet apps', 'payment', '[{"kind": "portal", "address": "national financial-fraud reporting system"}]'::jsonb, ARRAY['UPI address', 'UTR', 'amount and time']::text[], 24, NULL, ''),
  (NULL, 'telecoms', 'Telecom operators', 'telecom', '[{"kind": "email", "address": "the operator''s nodal officer"}]'::jsonb, ARRAY['phone number', 'IMEI']::text[], 72, NULL, 'SIM and IMEI blocking.'),
  (NULL, 'national-takedown-portal', 'National takedown portal', 'portal', '[{"kind": "portal", "address": "the Government portal that connects intermediaries"}]'::jsonb, ARRAY['content URLs', 'legal provision']::text[], 36, NULL, 'Reaches many intermediaries at once.')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO letter_templates (unit_id, request_kind, body) VALUES
  (NULL, 'takedown', 'To: {{platform.name}}
Subject: Removal of intimate content, case {{case.reference}}

A complaint of online sexual extortion was registered at {{case.station}} on {{case.reportedAt}}. The content at the locations below shows the complainant without consent and must be removed within the time the law allows ({{legalSections}}).

{{identifiers}}

Please confirm the removal and preserve all related records.

{{officer}}
{{today}}'),
  (NULL, 'preservation', 'To: {{platform.name}}
Subject: Preservation of account data, case {{case.reference}}

Under {{legalSections}}, please preserve for {{platform.preservationDays}} days all subscriber information, logs and content of the accounts below, pending a formal request.

{{identifiers}}

{{officer}}
{{today}}'),
  (NULL, 'data_disclosure', 'To: {{platform.name}}
Subject: Notice to produce, case {{case.reference}}

Under {{legalSections}}, produce the subscriber details, login IP addresses with timestamps and linked accounts of:

{{identifiers}}

{{officer}}
{{today}}'),
  (NULL, 'emergency_disclosure', 'To: {{platform.name}}
Subject: EMERGENCY disclosure request, case {{case.reference}}

There is a risk to the life of the victim in this case of sexual extortion. Please disclose at once the data that can identify the account holders below.

{{identifiers}}

{{officer}}
{{today}}'),
  (NULL, 'payment_hold', 'To: {{platform.name}}
Subject: Hold on proceeds of crime, case {{case.reference}}

The victim paid the amounts below to the following instruments. Please hold the proceeds and report the trail ({{legalSections}}).

{{identifiers}}

{{officer}}
{{today}}'),
  (NULL, 'sim_imei_block', 'To: {{platform.name}}
Subject: Blocking of SIM and IMEI, case {{case.reference}}

The numbers and handsets below were used to extort the victim. Please block them and report the subscriber details.

{{identifiers}}

{{officer}}
{{today}}')
ON CONFLICT DO NOTHING;
