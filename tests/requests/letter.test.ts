import { describe, expect, it } from 'vitest';
import {
  draftLetter,
  fillTemplate,
  identifierLine,
  legalSectionsText,
  letterDate,
  letterTime,
  paymentLine,
  relevantFacts,
  signatory,
  type LetterFacts,
  type LetterIdentifier,
  type LetterPlatform,
} from '../../src/requests/letter.js';

const id = (kind: string, value: string, details: Record<string, unknown> = {}): LetterIdentifier => ({ kind, value, display: value, details });

/** What the default intake leaves on a case, as stored, plus a few more kinds. */
const identifiers = [
  id('platform_handle', 'instagram:priya.sharma_22', { platform: 'instagram', handle: 'priya.sharma_22' }),
  id('platform_account_id', 'facebook:100012345678901', { platform: 'facebook', accountId: '100012345678901' }),
  id('url', 'https://instagram.com/priya.sharma_22', { host: 'instagram.com' }),
  id('url', 'https://datingsite.example/u/ravi', { host: 'datingsite.example' }),
  id('platform_handle', 'other:tinder:ravi_k', { platform: 'other:tinder', handle: 'ravi_k' }),
  id('phone', '+917000012345'),
  id('upi', 'quickcash@ybl'),
  id('bank_account', 'SBIN0001234:00012345678', { ifsc: 'SBIN0001234' }),
  id('imei', '490154203237518'),
  id('email', 'ring@example.net'),
];

const platform = (key: string, category: string, preservationDays: number | null = 90): LetterPlatform => ({ key, name: key, category, preservationDays });
const selected = (kind: Parameters<typeof relevantFacts>[0], entry: LetterPlatform) => relevantFacts(kind, entry, identifiers).identifiers.map((identifier) => identifier.value);

const facts: LetterFacts = {
  kind: 'takedown',
  platform: { key: 'instagram', name: 'Instagram (Meta)', category: 'social', preservationDays: 90 },
  case: { id: '01937a4e-7c1a-7b3e-9d2f-5a6b7c8d9e0f', stationCode: 'MH-PUNE-SHIVAJINAGAR', reportedAt: '2019-11-28T04:45:00Z' },
  identifiers,
  payments: [{ amount: '5000', currency: 'INR', paidAt: '2019-11-27T19:10:00+00:00', method: 'bank_transfer', reference: '433112345678', payee: 'quickcash@ybl' }],
  legalSections: [
    { code: 'IT-RULES-2021-3-2-B', title: 'Removal of intimate images' },
    { code: 'IT-ACT-66E', title: 'Violation of privacy' },
  ],
  officer: { name: 'PSI A. Patil', role: 'Investigating Officer', placement: 'MH-PUNE-SHIVAJINAGAR' },
  today: new Date('2019-11-28T09:00:00Z'),
};

describe('filling a template', () => {
  it('replaces each placeholder, spaces inside the braces allowed', () => {
    expect(fillTemplate('To {{ platform.name }} re {{case.reference}}, {{case.reference}}.', { 'platform.name': 'X', 'case.reference': 'C-1' })).toEqual({
      text: 'To X re C-1, C-1.',
      unknown: [],
    });
  });

  it('never expands a placeholder that arrives inside a value (an offender chooses their own handle)', () => {
    expect(fillTemplate('{{identifiers}} / {{officer}}', { identifiers: '@{{officer}}', officer: 'PSI Patil' }).text).toBe('@{{officer}} / PSI Patil');
    expect(fillTemplate('{{a}}', { a: '$& $1 $$' }).text).toBe('$& $1 $$');
  });

  it('leaves an unknown placeholder as written, and names it, so a typo in a unit\'s template shows', () => {
    expect(fillTemplate('Dear {{platfrom.name}}, {{toString}} {{__proto__}}', { 'platform.name': 'X' })).toEqual({
      text: 'Dear {{platfrom.name}}, {{toString}} {{__proto__}}',
      unknown: ['platfrom.name', 'toString'],
    });
  });
});

describe('the facts a letter names', () => {
  it('names the accounts and links on the platform written to, and the numbers an account on it is known by', () => {
    expect(selected('takedown', platform('instagram', 'social'))).toEqual(['instagram:priya.sharma_22', 'https://instagram.com/priya.sharma_22']);
    expect(selected('preservation', platform('facebook', 'social'))).toEqual(['facebook:100012345678901']);
    expect(selected('data_disclosure', platform('whatsapp', 'messaging'))).toEqual(['+917000012345']);
    expect(selected('data_disclosure', platform('google', 'social'))).toEqual(['ring@example.net']);
    expect(selected('takedown', platform('dating-apps', 'dating'))).toEqual(['https://datingsite.example/u/ravi', 'other:tinder:ravi_k']);
    expect(selected('takedown', platform('tinder', 'dating'))).toEqual(['https://datingsite.example/u/ravi', 'other:tinder:ravi_k']);
    // A unit's own entry for an app the identifier rules do not know: its other: handles.
    expect(selected('takedown', platform('tinder', 'social'))).toEqual(['other:tinder:ravi_k']);
  });

  it('names the money trail for a payment hold or a bank, numbers and handsets for a telecom, online content for the portal', () => {
    expect(relevantFacts('payment_hold', platform('banks', 'bank', null), identifiers)).toEqual({
      identifiers: [identifiers[6], identifiers[7]],
      namesPayments: true,
    });
    expect(relevantFacts('payment_hold', platform('instagram', 'social'), identifiers).namesPayments).toBe(true);
    expect(selected('sim_imei_block', platform('telecoms', 'telecom', null))).toEqual(['+917000012345', '490154203237518']);
    expect(selected('takedown', platform('national-takedown-portal', 'portal', null))).toHaveLength(5);
    expect(selected('takedown', platform('somewhere', 'other'))).toHaveLength(identifiers.length);
  });

  it('writes each identifier, payment and section in words a platform\'s desk reads', () => {
    expect(identifiers.map(identifierLine)).toEqual([
      'Instagram username: @priya.sharma_22',
      'Facebook numeric account id: 100012345678901',
      'Link: https://instagram.com/priya.sharma_22',
      'Link: https://datingsite.example/u/ravi',
      'tinder username: @ravi_k',
      'Phone number: +917000012345',
      'UPI address: quickcash@ybl',
      'Bank account: 00012345678 (IFSC SBIN0001234)',
      'IMEI: 490154203237518',
      'E-mail: ring@example.net',
    ]);
    expect(paymentLine(facts.payments[0]!)).toBe('Payment: INR 5000.00 by bank transfer on 27 Nov 2019, 19:10 UTC to quickcash@ybl, UTR/reference 433112345678');
    expect(paymentLine({ amount: 1, currency: 'INR', paidAt: '2019-01-05T00:00:00Z', method: 'upi', reference: null, payee: null })).toBe('Payment: INR 1.00 by upi on 5 Jan 2019, 00:00 UTC');
    expect(legalSectionsText([])).toBe('the provisions of law that apply');
    expect(letterTime('2019-03-09T07:05:00Z')).toBe('9 Mar 2019, 07:05 UTC');
    expect(letterDate(new Date('2019-12-31T23:59:59Z'))).toBe('31 Dec 2019');
  });

  it('signs with the officer\'s name when the case is assigned to them, else their login', () => {
    const principal = { subject: 'psi.patil', roles: ['investigating_officer'], placement: 'MH-PUNE-A' };
    expect(signatory(principal, { subject: 'psi.patil', name: 'PSI A. Patil' })).toEqual({ name: 'PSI A. Patil', role: 'Investigating Officer', placement: 'MH-PUNE-A' });
    expect(signatory(principal, { subject: 'psi.more', name: 'PSI B. More' })).toEqual({ name: 'psi.patil', role: 'Investigating Officer', placement: 'MH-PUNE-A' });
    expect(signatory({ ...principal, roles: ['integration_client'], placement: null }, null).role).toBe('on behalf of the station\'s case system');
  });
});

describe('drafting a letter', () => {
  const template = `To: {{platform.name}}
Subject: Removal of intimate content, case {{case.reference}}

A complaint was registered at {{case.station}} on {{case.reportedAt}} ({{legalSections}}).

{{identifiers}}

Preserve for {{platform.preservationDays}} days.

{{officer}}
{{today}}`;

  it('fills the shipped takedown template with the case\'s facts', () => {
    expect(draftLetter(template, facts)).toEqual({
      letter: `To: Instagram (Meta)
Subject: Removal of intimate content, case 01937a4e-7c1a-7b3e-9d2f-5a6b7c8d9e0f

A complaint was registered at MH-PUNE-SHIVAJINAGAR on 28 Nov 2019, 04:45 UTC (IT-RULES-2021-3-2-B (Removal of intimate images); IT-ACT-66E (Violation of privacy)).

- Instagram username: @priya.sharma_22
- Link: https://instagram.com/priya.sharma_22

Preserve for 90 days.

PSI A. Patil, Investigating Officer, MH-PUNE-SHIVAJINAGAR
28 Nov 2019`,
      unknownPlaceholders: [],
    });
  });

  it('says so when the case has nothing for this platform yet, and reads on when the directory gives no preservation period', () => {
    const { letter } = draftLetter(template, { ...facts, platform: { key: 'telegram', name: 'Telegram', category: 'messaging', preservationDays: null }, identifiers: [] });
    expect(letter).toContain('- (no identifiers of this kind are recorded on the case yet)');
    expect(letter).toContain('Preserve for the usual number of days.');
  });
});
