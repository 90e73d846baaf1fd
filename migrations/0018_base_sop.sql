-- The law and the base SOP as shipped, from docs in the domain brief: data, not code. A change in the law
-- is a new provisions row with its effective date; a new base SOP is a new published version.
INSERT INTO legal_provisions (code, act, title, time_limit_minutes, effective_from, source_note) VALUES
  ('IT-RULES-2021-3-2-B', 'IT (Intermediary Guidelines and Digital Media Ethics Code) Rules 2021', 'Removal of intimate images on a complaint by or for the person shown', 1440, '2021-02-25', 'Rule 3(2)(b): 24 hours. Reported as shortened to 2 hours in 2026, unconfirmed: when confirmed, close this row (effective_to) and add one with the new limit and its effective date.'),
  ('IT-RULES-2021-3-1-D', 'IT (Intermediary Guidelines and Digital Media Ethics Code) Rules 2021', 'Takedown on a government or police order', 2160, '2021-02-25', 'Rule 3(1)(d): 36 hours; the order must come from a specially authorised officer. Reported as 3 hours in 2026, unconfirmed.'),
  ('IT-RULES-2021-3-1-G', 'IT (Intermediary Guidelines and Digital Media Ethics Code) Rules 2021', 'Retention of removed content and records', 259200, '2021-02-25', 'Rule 3(1)(g): 180 days.'),
  ('IT-RULES-2021-3-1-J', 'IT (Intermediary Guidelines and Digital Media Ethics Code) Rules 2021', 'Reply to a lawful request for information', 4320, '2021-02-25', 'Rule 3(1)(j): 72 hours.'),
  ('BNSS-173-EFIR', 'Bharatiya Nagarik Suraksha Sanhita 2023', 'Signature of an e-FIR by the informant', 4320, '2024-07-01', 'Section 173(1): an e-FIR is signed within 3 days.'),
  ('NCRP-1930-FOLLOWUP', 'National Cyber Crime Reporting Portal (MHA/I4C)', 'Portal complaint after a 1930 helpline call', 1440, '2021-04-01', 'Procedure of the 1930 helpline: the portal complaint follows the call within 24 hours (policy, not statute).'),
  ('US-18-USC-2703-F', '18 U.S.C. 2703(f)', 'Preservation by US providers', 129600, '1996-01-01', '90 days, extendable once by 90 on request.'),
  ('IT-ACT-66C', 'IT Act 2000', 'Identity theft', NULL, '2000-10-17', 'Section as cited in the domain brief; no time limit of its own.'),
  ('IT-ACT-66D', 'IT Act 2000', 'Cheating by personation using a computer resource', NULL, '2000-10-17', 'Section as cited in the domain brief; no time limit of its own.'),
  ('IT-ACT-66E', 'IT Act 2000', 'Violation of privacy', NULL, '2000-10-17', 'Section as cited in the domain brief; no time limit of its own.'),
  ('IT-ACT-67', 'IT Act 2000', 'Publishing obscene material', NULL, '2000-10-17', 'Section as cited in the domain brief; no time limit of its own.'),
  ('IT-ACT-67A', 'IT Act 2000', 'Publishing sexually explicit material', NULL, '2000-10-17', 'Section as cited in the domain brief; no time limit of its own.'),
  ('IT-ACT-67B', 'IT Act 2000', 'Material depicting children in sexually explicit acts', NULL, '2000-10-17', 'Section as cited in the domain brief; no time limit of its own.'),
  ('POCSO-13', 'POCSO Act 2012', 'Using a child for pornographic purposes', NULL, '2012-11-14', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNS-308', 'Bharatiya Nyaya Sanhita 2023', 'Extortion', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNS-351', 'Bharatiya Nyaya Sanhita 2023', 'Criminal intimidation', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNS-318', 'Bharatiya Nyaya Sanhita 2023', 'Cheating', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNS-319', 'Bharatiya Nyaya Sanhita 2023', 'Cheating by personation', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNS-77', 'Bharatiya Nyaya Sanhita 2023', 'Voyeurism', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNS-78', 'Bharatiya Nyaya Sanhita 2023', 'Stalking', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNS-108', 'Bharatiya Nyaya Sanhita 2023', 'Abetment of suicide', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNSS-94', 'Bharatiya Nagarik Suraksha Sanhita 2023', 'Summons to produce a document or thing', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNSS-106', 'Bharatiya Nagarik Suraksha Sanhita 2023', 'Seizure of property', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNSS-107', 'Bharatiya Nagarik Suraksha Sanhita 2023', 'Attachment, forfeiture or restoration of property', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BNSS-173', 'Bharatiya Nagarik Suraksha Sanhita 2023', 'Information in cognizable cases (FIR)', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.'),
  ('BSA-63', 'Bharatiya Sakshya Adhiniyam 2023', 'Admissibility of electronic records (certificate with hash)', NULL, '2024-07-01', 'Section as cited in the domain brief; no time limit of its own.')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO sop_versions (layer, number, status, title, notes, body, created_by, published_at, published_by)
SELECT 'base', 1, 'published', 'Sextortion: first minutes to investigation', 'From the domain brief (shared/DOMAIN.md), 2026.', $sop${
 "steps": [
  {
   "key": "victim-safety",
   "title": {
    "en": "Screen the victim for self-harm risk"
   },
   "instructions": {
    "en": "Ask about thoughts of self-harm. If the risk is high, hand over at once to the national tele-mental-health line (14416) or emergency 112. Tell the victim it is not their fault."
   },
   "ownerRole": "duty_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 15
   },
   "kind": "policy",
   "conditions": {},
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": []
  },
  {
   "key": "stop-the-harm",
   "title": {
    "en": "Stop the harm"
   },
   "instructions": {
    "en": "Advise: do not pay, stop all contact, do not delete chats or the account; block the offender only after the evidence is preserved."
   },
   "ownerRole": "duty_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 15
   },
   "kind": "advisory",
   "conditions": {},
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": []
  },
  {
   "key": "preserve-evidence",
   "title": {
    "en": "Preserve the evidence"
   },
   "instructions": {
    "en": "Record profile URLs and numeric account ids, chats, call logs and payment references; take the SHA-256 of each item at capture."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 60
   },
   "kind": "policy",
   "conditions": {},
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": [
    "BSA-63"
   ]
  },
  {
   "key": "report-1930",
   "title": {
    "en": "Report the payment on the 1930 helpline"
   },
   "instructions": {
    "en": "Golden hour: call 1930 (or file on the national portal) so the bank nodal officers can freeze the payment trail."
   },
   "ownerRole": "duty_officer",
   "trigger": {
    "event": "payment_made"
   },
   "deadline": {
    "minutes": 60
   },
   "kind": "policy",
   "conditions": {
    "moneyPaid": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": []
  },
  {
   "key": "portal-complaint",
   "title": {
    "en": "File the national portal complaint"
   },
   "instructions": {
    "en": "The portal complaint must follow the 1930 call within 24 hours; record its acknowledgement number on the case."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "step_completed",
    "step": "report-1930"
   },
   "deadline": {
    "provision": "NCRP-1930-FOLLOWUP"
   },
   "kind": "policy",
   "conditions": {
    "moneyPaid": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": []
  },
  {
   "key": "platform-takedown",
   "title": {
    "en": "Ask each platform involved to take the content down"
   },
   "instructions": {
    "en": "Send a takedown request to every platform involved; for intimate images the intermediary must act within the statutory time."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "provision": "IT-RULES-2021-3-2-B"
   },
   "kind": "statutory",
   "conditions": {
    "platformInvolved": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": [
    "IT-RULES-2021-3-2-B",
    "IT-ACT-66E"
   ],
   "requestKind": "takedown"
  },
  {
   "key": "platform-preservation",
   "title": {
    "en": "Ask each platform to preserve the account data"
   },
   "instructions": {
    "en": "Request preservation of the offender's account data before it is deleted."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 1440
   },
   "kind": "policy",
   "conditions": {
    "platformInvolved": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": [
    "IT-RULES-2021-3-1-G",
    "BNSS-94"
   ],
   "requestKind": "preservation"
  },
  {
   "key": "block-reuploads-minor",
   "title": {
    "en": "Block re-uploads through the minors' hash programme"
   },
   "instructions": {
    "en": "The victim is a minor: submit hashes to the platforms' programme for minors' images."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 360
   },
   "kind": "advisory",
   "conditions": {
    "victimIsMinor": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": [
    "IT-ACT-67B",
    "POCSO-13"
   ]
  },
  {
   "key": "block-reuploads-adult",
   "title": {
    "en": "Block re-uploads through the adults' hash programme"
   },
   "instructions": {
    "en": "Help the victim submit hashes of the images to the on-device hashing programme for adults."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 360
   },
   "kind": "advisory",
   "conditions": {
    "victimIsMinor": false
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": []
  },
  {
   "key": "emergency-disclosure",
   "title": {
    "en": "Consider an emergency disclosure request"
   },
   "instructions": {
    "en": "Images are circulating: where life is at risk, ask the platforms for emergency disclosure of the offender's data."
   },
   "ownerRole": "station_house_officer",
   "trigger": {
    "event": "content_circulated"
   },
   "deadline": {
    "minutes": 240
   },
   "kind": "policy",
   "conditions": {
    "imagesCirculated": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_admin",
     "afterMinutes": 120
    }
   ],
   "legalRefs": [],
   "requestKind": "emergency_disclosure"
  },
  {
   "key": "register-fir",
   "title": {
    "en": "Register the FIR"
   },
   "instructions": {
    "en": "Register the FIR (a zero FIR if the offence lies elsewhere); an e-FIR must be signed within the statutory time."
   },
   "ownerRole": "station_house_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "provision": "BNSS-173-EFIR"
   },
   "kind": "statutory",
   "conditions": {},
   "dependsOn": [],
   "escalation": [
    {
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_admin",
     "afterMinutes": 120
    }
   ],
   "legalRefs": [
    "BNSS-173",
    "BNS-308",
    "IT-ACT-66E",
    "IT-ACT-67A"
   ]
  },
  {
   "key": "pocso-sections",
   "title": {
    "en": "Add POCSO and IT Act 67B to the FIR"
   },
   "instructions": {
    "en": "The victim is a minor: the FIR must cite POCSO and IT Act 67B."
   },
   "ownerRole": "station_house_officer",
   "trigger": {
    "event": "step_completed",
    "step": "register-fir"
   },
   "deadline": {
    "minutes": 60
   },
   "kind": "statutory",
   "conditions": {
    "victimIsMinor": true
   },
   "dependsOn": [
    "register-fir"
   ],
   "escalation": [
    {
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_admin",
     "afterMinutes": 120
    }
   ],
   "legalRefs": [
    "IT-ACT-67B",
    "POCSO-13"
   ]
  },
  {
   "key": "data-requests",
   "title": {
    "en": "Send data disclosure notices"
   },
   "instructions": {
    "en": "Notices to produce (BNSS 94) to the platforms, banks and telecoms holding the offender's data."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "step_completed",
    "step": "preserve-evidence"
   },
   "deadline": {
    "minutes": 1440
   },
   "kind": "policy",
   "conditions": {},
   "dependsOn": [
    "preserve-evidence"
   ],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": [
    "BNSS-94",
    "IT-RULES-2021-3-1-J"
   ],
   "requestKind": "data_disclosure"
  },
  {
   "key": "bank-trail",
   "title": {
    "en": "Hold the money trail"
   },
   "instructions": {
    "en": "Ask the banks to hold the proceeds, layer by layer; a debit freeze needs a magistrate's order."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "payment_made"
   },
   "deadline": {
    "minutes": 2880
   },
   "kind": "policy",
   "conditions": {
    "moneyPaid": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": [
    "BNSS-106",
    "BNSS-107"
   ],
   "requestKind": "payment_hold"
  },
  {
   "key": "identifier-lookups",
   "title": {
    "en": "Look the suspect's identifiers up across states"
   },
   "instructions": {
    "en": "Search the suspect's phones, UPI addresses, accounts and handles across units and national databases."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "step_completed",
    "step": "preserve-evidence"
   },
   "deadline": {
    "minutes": 10080
   },
   "kind": "policy",
   "conditions": {},
   "dependsOn": [
    "preserve-evidence"
   ],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": []
  },
  {
   "key": "sim-imei-block",
   "title": {
    "en": "Ask the telecoms to block the SIM and IMEI"
   },
   "instructions": {
    "en": "Once the numbers are confirmed, ask the telecom operators to block the SIM cards and handsets."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 4320
   },
   "kind": "policy",
   "conditions": {},
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 60
    },
    {
     "role": "unit_admin",
     "afterMinutes": 240
    }
   ],
   "legalRefs": [],
   "requestKind": "sim_imei_block"
  },
  {
   "key": "action-taken-report",
   "title": {
    "en": "Action-taken report"
   },
   "instructions": {
    "en": "Where no FIR was registered, file the action-taken report."
   },
   "ownerRole": "station_house_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 20160
   },
   "kind": "policy",
   "conditions": {},
   "dependsOn": [],
   "escalation": [
    {
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_admin",
     "afterMinutes": 120
    }
   ],
   "legalRefs": []
  }
 ]
}$sop$::jsonb, 'migration', now(), 'migration'
WHERE NOT EXISTS (SELECT 1 FROM sop_versions WHERE layer = 'base');
