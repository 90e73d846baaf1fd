export interface DemoStation {
  code: string;
  name: string;
  isCyberCrimeStation?: boolean;
}

export interface DemoDistrict {
  code: string;
  name: string;
  kind: 'district' | 'commissionerate';
  stations: DemoStation[];
}

export interface DemoUnit {
  code: string;
  name: string;
  districts: DemoDistrict[];
}

const puneCityStations = [
  'Faraskhana', 'Vishrambaug', 'Khadak', 'Samarth', 'Shivajinagar', 'Deccan', 'Chatushrungi',
  'Khadki', 'Dattawadi', 'Bharati Vidyapeeth', 'Sahakarnagar', 'Swargate', 'Kondhwa', 'Wanowrie',
  'Hadapsar', 'Mundhwa', 'Lashkar', 'Bund Garden', 'Koregaon Park', 'Yerawada', 'Vishrantwadi',
  'Vimantal', 'Chandannagar', 'Kothrud', 'Warje Malwadi', 'Alankar', 'Sinhagad Road',
  'Uttamnagar', 'Market Yard', 'Bibvewadi', 'Lonikand', 'Loni Kalbhor',
];

function policeStations(districtCode: string, names: string[]): DemoStation[] {
  return names.map((name) => ({
    code: `${districtCode}-${name.toUpperCase().replace(/[^A-Z0-9]+/g, '-')}`,
    name: `${name} Police Station`,
  }));
}

/** The demo tenancy tree: real station names, so a walk-through looks like the real thing. */
export const demoUnits: DemoUnit[] = [
  {
    code: 'MH',
    name: 'Maharashtra Cyber',
    districts: [
      {
        code: 'MH-PUNE',
        name: 'Pune City Police Commissionerate',
        kind: 'commissionerate',
        stations: [
          ...policeStations('MH-PUNE', puneCityStations),
          { code: 'MH-PUNE-CYBER', name: 'Cyber Police Station, Pune City', isCyberCrimeStation: true },
        ],
      },
      {
        code: 'MH-PCMC',
        name: 'Pimpri-Chinchwad Police Commissionerate',
        kind: 'commissionerate',
        stations: [
          ...policeStations('MH-PCMC', ['Pimpri', 'Chinchwad', 'Bhosari', 'Nigdi', 'Hinjewadi', 'Wakad']),
          { code: 'MH-PCMC-CYBER', name: 'Cyber Police Station, Pimpri-Chinchwad', isCyberCrimeStation: true },
        ],
      },
    ],
  },
  {
    code: 'KA',
    name: 'Karnataka CID Cyber Crime Division',
    districts: [
      {
        code: 'KA-BLR',
        name: 'Bengaluru City Police Commissionerate',
        kind: 'commissionerate',
        stations: [
          ...policeStations('KA-BLR', ['Cubbon Park', 'Halasuru Gate', 'Koramangala', 'Indiranagar', 'Jayanagar', 'Whitefield']),
          { code: 'KA-BLR-CEN-SOUTH-EAST', name: 'South East Division CEN Police Station', isCyberCrimeStation: true },
          { code: 'KA-BLR-CEN-EAST', name: 'East Division CEN Police Station', isCyberCrimeStation: true },
        ],
      },
    ],
  },
];
