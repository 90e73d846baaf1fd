-- The base SOP, version 2: steps per platform involved, acts that complete their steps, the
-- victim-safety screen and its hand-over, the POCSO path, police clocks apart from the
-- platforms' clocks, follow-ups of platforms that miss their time, preservation extensions, and
-- escalation to the state cyber unit's supervisor with repeat alerts. Cases pinned to version 1
-- keep it until they are migrated (POST /v1/cases/{caseId}/sop/migrate).
INSERT INTO legal_provisions (code, act, title, time_limit_minutes, effective_from, source_note) VALUES
  ('POCSO-19-6', 'POCSO Act 2012', 'Report to the Child Welfare Committee and the Special Court', 1440, '2012-11-14', 'Section 19(6): the police report the matter, and the child''s need for care, to the Child Welfare Committee and the Special Court within 24 hours.')
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO sop_versions (layer, number, status, title, notes, body, created_by, published_at, published_by)
SELECT 'base', 2, 'published', 'Sextortion: first minutes to investigation',
       'Version 2, from the domain brief (shared/DOMAIN.md) and a month replayed at Pune scale (issue 12).', $sop${
 "steps": [
  {
   "key": "victim-safety",
   "title": {
    "en": "Screen the victim for self-harm risk"
   },
   "instructions": {
    "en": "Ask about thoughts of self-harm and record the screen: risk level, whether the victim is a minor, whether the family must never be the way to reach them, and consent to be contacted. Tell the victim it is not their fault."
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
     "afterMinutes": 15
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 30
    }
   ],
   "escalationRepeatMinutes": 30,
   "legalRefs": [],
   "completedBy": [
    "safety_screen"
   ]
  },
  {
   "key": "safety-handover",
   "title": {
    "en": "Hand the victim over to Tele-MANAS (14416) or 112 now"
   },
   "instructions": {
    "en": "The screen found a high risk: connect the victim to the national tele-mental-health line 14416, or to emergency 112 if life is in danger now, and stay with them until the hand-over is made."
   },
   "ownerRole": "duty_officer",
   "trigger": {
    "event": "safety_screened"
   },
   "deadline": {
    "minutes": 5
   },
   "kind": "policy",
   "conditions": {
    "riskToLife": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "station_house_officer",
     "afterMinutes": 0
    },
    {
     "role": "district_supervisor",
     "afterMinutes": 5
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 10
    }
   ],
   "escalationRepeatMinutes": 10,
   "legalRefs": [
    "BNS-108"
   ]
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
     "afterMinutes": 15
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 30
    }
   ],
   "escalationRepeatMinutes": 30,
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
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
    "en": "Golden hour: call 1930 (or file on the national portal) so the bank nodal officers can freeze the payment trail. Record the helpline ticket on the case: that completes this step."
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [],
   "completedBy": [
    "helpline_ticket"
   ]
  },
  {
   "key": "portal-complaint",
   "title": {
    "en": "File the national portal complaint"
   },
   "instructions": {
    "en": "The portal complaint must follow the 1930 call within 24 hours. Record its acknowledgement number on the case: that completes this step."
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [],
   "completedBy": [
    "ncrp_acknowledgement"
   ]
  },
  {
   "key": "platform-takedown",
   "title": {
    "en": "Ask the platform to take the content down"
   },
   "instructions": {
    "en": "Send this platform a takedown request for the content. The police's own deadline is the SOP's; once the request is sent, the platform's statutory time to act runs on the request."
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [
    "IT-RULES-2021-3-1-D",
    "IT-RULES-2021-3-2-B",
    "IT-ACT-66E"
   ],
   "forEachPlatform": true,
   "requestKind": "takedown"
  },
  {
   "key": "platform-preservation",
   "title": {
    "en": "Ask the platform to preserve the account data"
   },
   "instructions": {
    "en": "Request preservation of the offender's account data on this platform before it is deleted."
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [
    "IT-RULES-2021-3-1-G",
    "BNSS-94"
   ],
   "forEachPlatform": true,
   "requestKind": "preservation"
  },
  {
   "key": "emergency-disclosure",
   "title": {
    "en": "Ask the platform for emergency disclosure"
   },
   "instructions": {
    "en": "The victim's life is at risk: ask this platform for an emergency disclosure of the offender's account data."
   },
   "ownerRole": "station_house_officer",
   "trigger": {
    "event": "safety_screened"
   },
   "deadline": {
    "minutes": 60
   },
   "kind": "policy",
   "conditions": {
    "riskToLife": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 120
    }
   ],
   "escalationRepeatMinutes": 60,
   "legalRefs": [
    "IT-RULES-2021-3-1-J"
   ],
   "forEachPlatform": true,
   "requestKind": "emergency_disclosure"
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": []
  },
  {
   "key": "register-fir",
   "title": {
    "en": "Register the FIR"
   },
   "instructions": {
    "en": "Register the FIR (a zero FIR if the offence happened elsewhere). Recording the FIR reference, or moving the case to fir_registered, completes this step."
   },
   "ownerRole": "station_house_officer",
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
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 120
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [
    "BNSS-173",
    "BNS-308",
    "IT-ACT-66E",
    "IT-ACT-67A"
   ],
   "completedBy": [
    "fir"
   ]
  },
  {
   "key": "pocso-sections",
   "title": {
    "en": "Add POCSO and IT Act 67B to the FIR"
   },
   "instructions": {
    "en": "The victim is a minor: the FIR names POCSO and IT Act 67B."
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
     "role": "unit_supervisor",
     "afterMinutes": 120
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [
    "IT-ACT-67B",
    "POCSO-13"
   ]
  },
  {
   "key": "pocso-report",
   "title": {
    "en": "Report to the Child Welfare Committee and the Special Court"
   },
   "instructions": {
    "en": "The victim is a minor: report the matter to the Child Welfare Committee and the Special Court within the statutory time, and record the child's care needs."
   },
   "ownerRole": "station_house_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "provision": "POCSO-19-6"
   },
   "kind": "statutory",
   "conditions": {
    "victimIsMinor": true
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 120
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [
    "POCSO-19-6"
   ]
  },
  {
   "key": "data-requests",
   "title": {
    "en": "Send data disclosure notices"
   },
   "instructions": {
    "en": "Ask the platforms for the offender's subscriber and log data under a lawful notice."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "step_completed",
    "step": "preserve-evidence",
    "releasedBy": [
     "done",
     "skipped",
     "not_applicable"
    ]
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
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
    "en": "Ask the banks' nodal officers to hold the payment trail, layer by layer."
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
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
    "en": "Search the identifiers (phones, UPI ids, handles, IMEIs) against other cases and states."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "step_completed",
    "step": "preserve-evidence",
    "releasedBy": [
     "done",
     "skipped",
     "not_applicable"
    ]
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": []
  },
  {
   "key": "sim-imei-block",
   "title": {
    "en": "Ask the telecoms to block the SIM and IMEI"
   },
   "instructions": {
    "en": "Ask the telecoms to block the SIMs and IMEIs used by the offender."
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [],
   "requestKind": "sim_imei_block"
  },
  {
   "key": "action-taken-report",
   "title": {
    "en": "Action-taken report"
   },
   "instructions": {
    "en": "Where no FIR has been registered, file the action-taken report on the complaint within 14 days."
   },
   "ownerRole": "station_house_officer",
   "trigger": {
    "event": "case_reported"
   },
   "deadline": {
    "minutes": 20160
   },
   "kind": "policy",
   "conditions": {
    "firRegistered": false
   },
   "dependsOn": [],
   "escalation": [
    {
     "role": "district_supervisor",
     "afterMinutes": 0
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 120
    }
   ],
   "escalationRepeatMinutes": 1440,
   "legalRefs": []
  },
  {
   "key": "platform-follow-up",
   "title": {
    "en": "Follow up the platform that missed its deadline"
   },
   "instructions": {
    "en": "The platform did not answer in its time: remind it, then write to its grievance officer, then report it on the national takedown portal. Its answer completes this step."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "platform_deadline_missed"
   },
   "deadline": {
    "minutes": 240
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
     "afterMinutes": 240
    },
    {
     "role": "unit_supervisor",
     "afterMinutes": 1440
    }
   ],
   "escalationRepeatMinutes": 1440,
   "legalRefs": [
    "IT-RULES-2021-3-1-D"
   ],
   "forEachPlatform": true,
   "completedBy": [
    "platform_response"
   ]
  },
  {
   "key": "preservation-extension",
   "title": {
    "en": "Extend the preservation before it lapses"
   },
   "instructions": {
    "en": "The platform's preservation of the account data nears its end: send it an extension request (US platforms extend once, by 90 days), or follow with a formal data request."
   },
   "ownerRole": "investigating_officer",
   "trigger": {
    "event": "preservation_expiring"
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
     "role": "unit_supervisor",
     "afterMinutes": 240
    }
   ],
   "escalationRepeatMinutes": 240,
   "legalRefs": [
    "US-18-USC-2703-F"
   ],
   "forEachPlatform": true,
   "requestKind": "preservation_extension"
  }
 ]
}$sop$::jsonb,
       'migration', now(), 'migration'
 WHERE NOT EXISTS (SELECT 1 FROM sop_versions WHERE layer = 'base' AND number = 2);
