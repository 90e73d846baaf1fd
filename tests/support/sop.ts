/** SOP fixtures shared by the SOP tests: a unit overlay and a station's local step. */

export const MARATHI_TITLE = 'पीडिताला स्वतःला इजा करण्याचा धोका आहे का ते तपासा';

/** A complete new step the unit adds to every case. */
export const informCyberCell = {
  key: 'inform-cyber-cell',
  title: { en: 'Inform the district cyber cell', mr: 'जिल्हा सायबर कक्षाला कळवा' },
  instructions: { en: 'Call the district cyber cell with the case number and the platforms involved.' },
  ownerRole: 'station_house_officer',
  trigger: { event: 'case_reported' },
  deadline: { minutes: 120 },
  kind: 'policy',
  conditions: {},
  dependsOn: ['preserve-evidence'],
  escalation: [
    { role: 'district_supervisor', afterMinutes: 0 },
    { role: 'unit_admin', afterMinutes: 60 },
  ],
  legalRefs: ['BSA-63'],
};

/** The unit's overlay: a Marathi title and a tighter deadline for victim safety, no action-taken report, one new step. */
export const overlayBody = {
  steps: [{ key: 'victim-safety', title: { en: 'Screen the victim for self-harm risk', mr: MARATHI_TITLE }, deadline: { minutes: 10 } }, informCyberCell],
  retire: ['action-taken-report'],
};

/** A local step of one station. */
export const briefBeatOfficer = {
  key: 'brief-beat-officer',
  title: { en: 'Brief the beat officer of the victim\'s area' },
  instructions: { en: 'Ask the beat officer to look in on the victim within the day.' },
  ownerRole: 'duty_officer',
  trigger: { event: 'case_reported' },
  deadline: { minutes: 1440 },
  kind: 'advisory',
  conditions: {},
  dependsOn: [],
  escalation: [{ role: 'station_house_officer', afterMinutes: 0 }],
  legalRefs: [],
};
