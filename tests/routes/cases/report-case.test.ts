import { describe, expect, it } from 'vitest';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { listCasesRoute } from '../../../src/routes/cases/list-cases.js';
import { reportCaseRoute } from '../../../src/routes/cases/report-case.js';
import { listCasesByIdentifierRoute } from '../../../src/routes/identifiers/list-cases-by-identifier.js';
import { createRoutingRuleRoute } from '../../../src/routes/routing-rules/create-routing-rule.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { intake } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { clientToken, signToken, tokenFor } from '../../support/tokens.js';
import { minutesAgo, daysAhead } from '../../support/clock.js';

function report(token: string, body: unknown, headers: Record<string, string> = {}) {
  return api('/v1/cases', { method: 'POST', token, headers, body });
}

/** The pointers of a 400 validation problem, in the order the API gives them. */
async function pointersOf(response: Response) {
  return (await expectProblem(response, 400, 'validation_failed')).errors?.map((error) => error.pointer);
}

/** Every case of the unit, newest first, as its administrator lists them. */
async function casesOf(tenant: TestTenant, query = '') {
  const page = await parseResponse(listCasesRoute, 200, await api(`/v1/cases?limit=200${query}`, { token: await tokenFor.unit(tenant.unitCode) }));
  return page.data;
}

const dutyOfficer = (tenant: TestTenant, station = 0) => tokenFor.station(tenant.unitCode, tenant.stationCodes[station]!, 'duty_officer');

describe('POST /v1/cases', () => {
  it('records the complaint at the duty officer\'s station with normalised identifiers and payments', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');
    const response = await api('/v1/cases', { method: 'POST', token, body: intake() });
    const reported = await parseResponse(reportCaseRoute, 201, response);
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.headers.get('location')).toBe(`/v1/cases/${reported.id}`);
    expect(reported).toMatchObject({
      status: 'reported',
      station: { code: tenant.stationCodes[0] },
      reportedStation: { code: tenant.stationCodes[0] },
      personalData: 'full',
      amountPaid: '5000.00',
      currency: 'INR',
      routedBy: null,
      complainant: { name: 'Sunita Deshmukh', phone: '+919812345610' },
      victim: { age: 17 },
    });
    expect(reported.identifiers.map((identifier) => `${identifier.kind} ${identifier.value} ${identifier.source}`).sort()).toEqual([
      'phone +917000012345 intake',
      'platform_handle instagram:priya.sharma_22 intake',
      'upi quickcash@ybl payment',
    ]);
    expect(reported.payments).toEqual([expect.objectContaining({ amount: '5000.00', reference: '433112345678', payee: 'quickcash@ybl', payer: 'rohan@okhdfc' })]);
  });

  it('reads back exactly what it answered, and sums only the payments in the case currency', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const reported = await parseResponse(
      reportCaseRoute,
      201,
      await report(token, intake({
        payments: [
          { amount: '5000', paidAt: minutesAgo(920), method: 'upi', payee: { kind: 'upi', value: 'QuickCash@YBL' } },
          { amount: '2500.50', paidAt: minutesAgo(90), method: 'bank_transfer', payee: { kind: 'bank_account', ifsc: 'sbin0001234', accountNumber: '1234 5678 901' } },
          { amount: '100', currency: 'USD', paidAt: minutesAgo(30), method: 'crypto' },
        ],
      })),
    );
    expect(reported.amountPaid).toBe('7500.50');
    expect(reported.payments.map((payment) => `${payment.amount} ${payment.currency} ${payment.payee}`)).toEqual([
      '5000.00 INR quickcash@ybl',
      '2500.50 INR SBIN0001234:12345678901',
      '100.00 USD null',
    ]);
    const read = await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${reported.id}`, { token }));
    expect(read).toEqual(reported);
  });

  it('answers each invalid field with a problem that points at it, and records nothing', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const base = intake();
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ complainant: { ...base.complainant, phone: 'call me on 98123' } }, ['/body/complainant/phone']],
      [{ complainant: { ...base.complainant, phone: '98123' } }, ['/body/complainant/phone']],
      [{ complainant: { ...base.complainant, email: 'not-an-email' } }, ['/body/complainant/email']],
      [{ identifiers: [{ kind: 'upi', value: 'quickcash.ybl' }] }, ['/body/identifiers/0/value']],
      [{ identifiers: [{ kind: 'phone', value: '+91 70000 12345' }, { kind: 'upi', value: 'quickcash@ybl.com' }] }, ['/body/identifiers/1/value']],
      [{ identifiers: [{ kind: 'bank_account', ifsc: 'SBIN0001234', accountNumber: '12AB' }] }, ['/body/identifiers/0/accountNumber']],
      [{ identifiers: [{ kind: 'platform_handle', platform: 'instagram', handle: 'has space' }] }, ['/body/identifiers/0/handle']],
      [{ payments: [{ ...base.payments[0], payee: { kind: 'upi', value: 'nobody' } }] }, ['/body/payments/0/payee/value']],
      [{ victim: { name: 'Rohan Deshmukh', gender: 'male' } }, ['/body/victim/isMinor']],
      [{ victim: { name: 'Rohan Deshmukh', age: 17, isMinor: false } }, ['/body/victim/isMinor']],
      [{ victim: { name: 'Rohan Deshmukh', age: 19, isMinor: true } }, ['/body/victim/isMinor']],
      [{ victim: { name: 'Rohan Deshmukh', age: -1 } }, ['/body/victim/age']],
      [{ incident: { ...base.incident, platforms: ['instagram', 'instagarm'] } }, ['/body/incident/platforms/1']],
      [{ incident: { ...base.incident, amountDemanded: '25000.999' } }, ['/body/incident/amountDemanded']],
      [{ incident: { ...base.incident, firstContactAt: daysAhead(7) } }, ['/body/incident/firstContactAt']],
      [{ payments: [{ ...base.payments[0], paidAt: daysAhead(7) }] }, ['/body/payments/0/paidAt']],
      [{ payments: [{ ...base.payments[0], amount: '5000.123' }] }, ['/body/payments/0/amount']],
      [{ payments: [{ ...base.payments[0], amount: '0' }] }, ['/body/payments/0/amount']],
      [{ payments: [{ ...base.payments[0], method: 'barter' }] }, ['/body/payments/0/method']],
      [{ stationCode: 'lower-case' }, ['/body/stationCode']],
      [{ priority: 'high' }, ['/body']],
      [{ complainant: { ...base.complainant, aadhaar: '1234 5678 9012' } }, ['/body/complainant']],
      [{ victim: { ...base.victim, school: 'St. Xavier' } }, ['/body/victim']],
      [{ incident: { ...base.incident, severity: 'high' } }, ['/body/incident']],
    ];
    for (const [overrides, pointers] of cases) {
      expect(await pointersOf(await report(token, intake(overrides))), JSON.stringify(overrides)).toEqual(pointers);
    }
    const withoutComplainant: Record<string, unknown> = intake();
    delete withoutComplainant.complainant;
    expect(await pointersOf(await report(token, withoutComplainant))).toEqual(['/body/complainant']);
    expect(await casesOf(tenant)).toEqual([]);
  });

  it('answers a malformed time with one problem that says so, not also that it lies in the future', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const base = intake();
    const firstContact = await expectProblem(await report(token, intake({ incident: { ...base.incident, firstContactAt: 'last Tuesday' } })), 400, 'validation_failed');
    expect(firstContact.errors).toEqual([{ pointer: '/body/incident/firstContactAt', detail: expect.not.stringContaining('future') }]);
    const paidAt = await expectProblem(await report(token, intake({ payments: [{ ...base.payments[0], paidAt: '27/11/2026' }] })), 400, 'validation_failed');
    expect(paidAt.errors).toEqual([{ pointer: '/body/payments/0/paidAt', detail: expect.not.stringContaining('future') }]);
  });

  it('derives the minor flag from the age, or takes isMinor when the age is not known', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const minorByAge = await parseResponse(reportCaseRoute, 201, await report(token, intake({ victim: { name: 'A', age: 17 } })));
    const adult = await parseResponse(reportCaseRoute, 201, await report(token, intake({ victim: { name: 'B', age: 18 } })));
    const minorByFlag = await parseResponse(reportCaseRoute, 201, await report(token, intake({ victim: { name: 'C', isMinor: true } })));
    const adultByFlag = await parseResponse(reportCaseRoute, 201, await report(token, intake({ victim: { isMinor: false } })));
    const minorFlags = Object.fromEntries((await casesOf(tenant)).map((item) => [item.id, item.victimIsMinor]));
    expect(minorFlags).toEqual({ [minorByAge.id]: true, [adult.id]: false, [minorByFlag.id]: true, [adultByFlag.id]: false });
    expect(minorByFlag.victim).toEqual({ name: 'C', isMinor: true });
  });

  it('records a profile link with the handle it names, and each identifier once', async () => {
    const tenant = await createTestTenant();
    const reported = await parseResponse(
      reportCaseRoute,
      201,
      await report(await dutyOfficer(tenant), intake({
        identifiers: [
          { kind: 'url', value: 'https://www.instagram.com/priya.sharma_22/?igshid=abc123' },
          { kind: 'platform_handle', platform: 'Instagram', handle: '@Priya.Sharma_22' },
          { kind: 'phone', value: '+91 70000 12345' },
          { kind: 'phone', value: '07000012345' },
          { kind: 'upi', value: 'quickcash@ybl' },
        ],
      })),
    );
    expect(reported.identifiers.map((identifier) => `${identifier.kind} ${identifier.value} ${identifier.source}`).sort()).toEqual([
      'phone +917000012345 intake',
      'platform_handle instagram:priya.sharma_22 intake',
      'upi quickcash@ybl intake',
      'url https://instagram.com/priya.sharma_22 intake',
    ]);
    const url = reported.identifiers.find((identifier) => identifier.kind === 'url');
    expect(url?.details).toMatchObject({ raw: 'https://www.instagram.com/priya.sharma_22/?igshid=abc123', host: 'instagram.com' });
    // The derived handle links the case to one recorded by handle alone.
    const linked = await parseResponse(
      listCasesByIdentifierRoute,
      200,
      await api('/v1/identifiers/platform_handle/instagram%3Apriya.sharma_22/cases', { token: await tokenFor.unit(tenant.unitCode) }),
    );
    expect(linked.data.map((item) => item.id)).toEqual([reported.id]);
  });

  it('makes a unit-level integration client name the station, and records the case there', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.client(tenant.unitCode, ['cases:report', 'cases:read']);
    expect(await pointersOf(await report(token, intake()))).toEqual(['/body/stationCode']);
    expect(await casesOf(tenant)).toEqual([]);

    const reported = await parseResponse(reportCaseRoute, 201, await report(token, intake({ stationCode: tenant.stationCodes[2] })));
    expect(reported).toMatchObject({ status: 'reported', station: { code: tenant.stationCodes[2] }, reportedStation: { code: tenant.stationCodes[2] }, reportedBy: 'cli_testclient0000000000' });
    // Without personal:read the client gets back what it sent, masked.
    expect(reported).toMatchObject({ personalData: 'masked', complainant: { name: 'S. D.', phone: '+91 98xxxxxx10' } });
    expect((await casesOf(tenant)).map((item) => item.id)).toEqual([reported.id]);

    const elsewhere = await createTestTenant();
    await expectProblem(await report(token, intake({ stationCode: elsewhere.stationCodes[0] })), 404, 'not_found');
    await expectProblem(await report(token, intake({ stationCode: `${tenant.districtCodes[0]}-NOWHERE` })), 404, 'not_found');
    expect(await casesOf(elsewhere)).toEqual([]);
  });

  it('makes a district-level reporter name a station of its own district', async () => {
    const tenant = await createTestTenant();
    const token = await clientToken(tenant.unitCode, ['cases:report', 'cases:read'], { district: tenant.districtCodes[1] });
    expect(await pointersOf(await report(token, intake()))).toEqual(['/body/stationCode']);
    const reported = await parseResponse(reportCaseRoute, 201, await report(token, intake({ stationCode: tenant.stationCodes[2] })));
    expect(reported.station.code).toBe(tenant.stationCodes[2]);
    await expectProblem(await report(token, intake({ stationCode: tenant.stationCodes[0] })), 404, 'not_found');
    expect((await casesOf(tenant)).map((item) => item.station.code)).toEqual([tenant.stationCodes[2]]);
  });

  it('answers a station officer who names another station 404, and plants nothing there', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await dutyOfficer(tenant);
    for (const stationCode of [tenant.stationCodes[1], tenant.stationCodes[3], other.stationCodes[0]]) {
      await expectProblem(await report(token, intake({ stationCode })), 404, 'not_found');
    }
    expect(await casesOf(tenant)).toEqual([]);
    expect(await casesOf(other)).toEqual([]);
    // Naming its own station is the same as naming none.
    const own = await parseResponse(reportCaseRoute, 201, await report(token, intake({ stationCode: tenant.stationCodes[0] })));
    expect(own.station.code).toBe(tenant.stationCodes[0]);
  });

  it('refuses callers without cases:report with 403 and unauthenticated callers with 401', async () => {
    const tenant = await createTestTenant();
    const body = intake({ stationCode: tenant.stationCodes[0] });
    const refused = [
      await tokenFor.auditor(tenant.unitCode),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.unit(tenant.unitCode),
      await tokenFor.platform(),
      await tokenFor.client(tenant.unitCode, ['cases:read', 'cases:work', 'personal:read']),
    ];
    for (const token of refused) await expectProblem(await report(token, body), 403, 'forbidden');
    await expectProblem(await api('/v1/cases', { method: 'POST', body }), 401, 'unauthorized');
    await expectProblem(await report('not.a.token', body), 401, 'unauthorized');
    await expectProblem(await report(await signToken({ roles: ['duty_officer'], unit: tenant.unitCode }), body), 401, 'unauthorized');
    expect(await casesOf(tenant)).toEqual([]);
  });

  it('gives a retry with the same Idempotency-Key the first case, not a second one', async () => {
    const tenant = await createTestTenant();
    const token = await dutyOfficer(tenant);
    const key = crypto.randomUUID();
    const body = intake();
    const first = await parseResponse(reportCaseRoute, 201, await report(token, body, { 'Idempotency-Key': key }));
    const retry = await parseResponse(reportCaseRoute, 201, await report(token, body, { 'Idempotency-Key': key }));
    expect(retry).toEqual(first);
    expect((await casesOf(tenant)).map((item) => item.id)).toEqual([first.id]);
    await expectProblem(await report(token, intake({ narrative: 'another complaint' }), { 'Idempotency-Key': key }), 422, 'idempotency_key_reused');
  });

  describe('routing rules', () => {
    async function createRule(tenant: TestTenant, body: Record<string, unknown>) {
      const response = await api(`/v1/units/${tenant.unitCode}/routing-rules`, { method: 'POST', token: await tokenFor.unit(tenant.unitCode), body });
      return parseResponse(createRoutingRuleRoute, 201, response);
    }

    const paid = (amount: string) => intake({ payments: [{ amount, paidAt: minutesAgo(920), method: 'upi', payee: { kind: 'upi', value: 'QuickCash@YBL' } }] });

    it('sends a case that paid at least the threshold to the rule\'s station, and keeps a smaller one', async () => {
      const tenant = await createTestTenant();
      const cyber = tenant.stationCodes[3];
      const rule = await createRule(tenant, { name: 'Paid ₹1,000 or more → Cyber PS', priority: 10, minAmountPaid: '1000', targetStationCode: cyber });
      const token = await dutyOfficer(tenant);

      const routed = await parseResponse(reportCaseRoute, 201, await report(token, paid('5000')));
      expect(routed).toMatchObject({
        status: 'transferred',
        station: { code: cyber },
        reportedStation: { code: tenant.stationCodes[0] },
        routedBy: rule.name,
        version: 1,
        personalData: 'full',
      });
      const atThreshold = await parseResponse(reportCaseRoute, 201, await report(token, paid('1000')));
      expect(atThreshold).toMatchObject({ status: 'transferred', station: { code: cyber }, routedBy: rule.name });

      const kept = await parseResponse(reportCaseRoute, 201, await report(token, paid('999.99')));
      expect(kept).toMatchObject({ status: 'reported', station: { code: tenant.stationCodes[0] }, reportedStation: { code: tenant.stationCodes[0] }, routedBy: null });

      const listed = await casesOf(tenant);
      expect(listed.map((item) => [item.id, item.status, item.station.code])).toEqual([
        [kept.id, 'reported', tenant.stationCodes[0]],
        [atThreshold.id, 'transferred', cyber],
        [routed.id, 'transferred', cyber],
      ]);
      // The cyber station now works the routed case; the reporting station only reads it.
      const cyberCases = await parseResponse(listCasesRoute, 200, await api('/v1/cases', { token: await tokenFor.station(tenant.unitCode, cyber) }));
      expect(cyberCases.data.map((item) => item.id)).toEqual([atThreshold.id, routed.id]);
      const reporting = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
      const ownCases = await parseResponse(listCasesRoute, 200, await api('/v1/cases', { token: reporting }));
      expect(ownCases.data.map((item) => item.id)).toEqual([kept.id]);
      const read = await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${routed.id}`, { token: reporting }));
      expect(read).toEqual(routed);
      // The routing is on the audit trail as a transfer naming the rule.
      const events = await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode));
      const transfers = events.filter((event) => event.target.id === routed.id && event.action === 'case.transferred');
      expect(transfers.map((event) => event.changes)).toEqual([{ from: tenant.stationCodes[0], to: cyber, routingRule: rule.name }]);
      expect(events.filter((event) => event.target.id === kept.id && event.action === 'case.transferred')).toEqual([]);
    });

    it('applies the rule with the lowest priority first, and skips inactive rules', async () => {
      const tenant = await createTestTenant();
      await createRule(tenant, { name: 'Inactive → station B', priority: 1, active: false, minAmountPaid: '1', targetStationCode: tenant.stationCodes[1] });
      await createRule(tenant, { name: 'Later → Cyber', priority: 20, minAmountPaid: '1000', targetStationCode: tenant.stationCodes[3] });
      const first = await createRule(tenant, { name: 'First → South A', priority: 5, minAmountPaid: '1000', targetStationCode: tenant.stationCodes[2] });
      const routed = await parseResponse(reportCaseRoute, 201, await report(await dutyOfficer(tenant), paid('5000')));
      expect(routed).toMatchObject({ status: 'transferred', station: { code: tenant.stationCodes[2] }, routedBy: first.name });
    });

    it('does not apply another unit\'s rules', async () => {
      const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
      await createRule(other, { name: 'Other unit → Cyber', priority: 1, minAmountPaid: '1', targetStationCode: other.stationCodes[3] });
      const reported = await parseResponse(reportCaseRoute, 201, await report(await dutyOfficer(tenant), paid('5000')));
      expect(reported).toMatchObject({ status: 'reported', station: { code: tenant.stationCodes[0] }, routedBy: null });
    });
  });
});
