import { describe, expect, it } from 'vitest';
import { listCasesRoute } from '../../../src/routes/cases/list-cases.js';
import { api, expectProblem } from '../../support/api.js';
import { intake, reportTestCase, type CaseBody } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';
import { minutesAgo } from '../../support/clock.js';

async function listCases(token: string, query = '') {
  return parseResponse(listCasesRoute, 200, await api(`/v1/cases${query}`, { token }));
}

async function idsListed(token: string, query = '') {
  return (await listCases(token, query)).data.map((item) => item.id);
}

/** Newest first, as the list orders them. */
const newestFirst = (...cases: CaseBody[]) => cases.map((item) => item.id).reverse();

/** Reports a case at the tenant's station `index` as its duty officer. */
async function reportAt(tenant: TestTenant, index: number, overrides: Record<string, unknown> = {}) {
  return reportTestCase(tenant, overrides, await tokenFor.station(tenant.unitCode, tenant.stationCodes[index]!, 'duty_officer'));
}

async function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await api(path, { method: path.endsWith('assignee') ? 'PUT' : 'POST', token, headers, body });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

const sho = (tenant: TestTenant, index: number) => tokenFor.station(tenant.unitCode, tenant.stationCodes[index]!, 'station_house_officer');

async function transfer(tenant: TestTenant, caseId: string, from: number, to: number) {
  await post(`/v1/cases/${caseId}/transfer`, await sho(tenant, from), { toStationCode: tenant.stationCodes[to], reason: 'to the cyber crime police station' });
}

/** One case at each of the tenant's four stations, reported in station order. */
async function oneCasePerStation(tenant: TestTenant) {
  const cases: CaseBody[] = [];
  for (const index of [0, 1, 2, 3]) cases.push(await reportAt(tenant, index));
  return cases;
}

const pointersOf = async (response: Response) => (await expectProblem(response, 400, 'validation_failed')).errors?.map((error) => error.pointer);

describe('GET /v1/cases', () => {
  it('shows a station its own cases, a district supervisor the district\'s, the unit all, and another unit none', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const [a, b, c, d] = await oneCasePerStation(tenant);
    await reportAt(other, 0);

    expect(await idsListed(await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]))).toEqual([a!.id]);
    expect(await idsListed(await tokenFor.station(tenant.unitCode, tenant.stationCodes[3], 'station_house_officer'))).toEqual([d!.id]);
    expect(await idsListed(await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]))).toEqual(newestFirst(a!, b!));
    expect(await idsListed(await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]))).toEqual(newestFirst(c!, d!));
    expect(await idsListed(await tokenFor.unit(tenant.unitCode))).toEqual(newestFirst(a!, b!, c!, d!));
    expect(await idsListed(await tokenFor.auditor(tenant.unitCode))).toEqual(newestFirst(a!, b!, c!, d!));
    expect(await idsListed(await tokenFor.client(tenant.unitCode, ['cases:read']))).toEqual(newestFirst(a!, b!, c!, d!));

    const seenByOther = await idsListed(await tokenFor.unit(other.unitCode));
    expect(seenByOther).toHaveLength(1);
    expect(seenByOther).not.toContain(a!.id);
    // Naming another unit's station or district finds nothing either.
    expect(await idsListed(await tokenFor.unit(other.unitCode), `?station=${tenant.stationCodes[0]}`)).toEqual([]);
    expect(await idsListed(await tokenFor.unit(other.unitCode), `?district=${tenant.districtCodes[0]}`)).toEqual([]);
  });

  it('lists summaries without personal data', async () => {
    const tenant = await createTestTenant();
    const reported = await reportAt(tenant, 0);
    for (const token of [await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), await tokenFor.unit(tenant.unitCode)]) {
      const response = await api('/v1/cases', { token });
      const text = await response.clone().text();
      const page = await parseResponse(listCasesRoute, 200, response);
      expect(page.data).toEqual([
        {
          id: reported.id,
          status: 'reported',
          station: { code: tenant.stationCodes[0] },
          reportedStation: { code: tenant.stationCodes[0] },
          reportedAt: reported.reportedAt,
          victimIsMinor: true,
          platforms: ['instagram', 'whatsapp'],
          imagesCirculated: false,
          amountPaid: '5000.00',
          currency: 'INR',
          assignedOfficer: null,
          version: 1,
          updatedAt: reported.updatedAt,
        },
      ]);
      for (const personal of ['"complainant"', '"victim"', '"narrative"', 'Sunita', 'Rohan', '9812345610', 'rohan@okhdfc']) expect(text).not.toContain(personal);
    }
  });

  it('filters by one status or several', async () => {
    const tenant = await createTestTenant();
    const reported = await reportAt(tenant, 0);
    const triaged = await reportAt(tenant, 0);
    const transferred = await reportAt(tenant, 0);
    await post(`/v1/cases/${triaged.id}/transitions`, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), { to: 'triaged' });
    await transfer(tenant, transferred.id, 0, 3);
    const token = await tokenFor.unit(tenant.unitCode);
    expect(await idsListed(token, '?status=reported')).toEqual([reported.id]);
    expect(await idsListed(token, '?status=triaged')).toEqual([triaged.id]);
    expect(await idsListed(token, '?status=transferred')).toEqual([transferred.id]);
    expect(await idsListed(token, '?status=reported,transferred')).toEqual(newestFirst(reported, transferred));
    expect(await idsListed(token, '?status=closed')).toEqual([]);
    expect((await listCases(token, '?status=triaged')).data[0]).toMatchObject({ status: 'triaged', version: 2 });

    expect(await pointersOf(await api('/v1/cases?status=open', { token }))).toEqual(['/query/status']);
    expect(await pointersOf(await api('/v1/cases?status=reported,pending', { token }))).toEqual(['/query/status']);
    expect(await pointersOf(await api('/v1/cases?status=REPORTED', { token }))).toEqual(['/query/status']);
  });

  it('filters by station and district within what the caller may see', async () => {
    const tenant = await createTestTenant();
    const [a, b, c, d] = await oneCasePerStation(tenant);
    const unit = await tokenFor.unit(tenant.unitCode);
    expect(await idsListed(unit, `?station=${tenant.stationCodes[1]}`)).toEqual([b!.id]);
    expect(await idsListed(unit, `?district=${tenant.districtCodes[1]}`)).toEqual(newestFirst(c!, d!));
    expect(await idsListed(unit, `?district=${tenant.districtCodes[0]}&station=${tenant.stationCodes[0]}`)).toEqual([a!.id]);
    expect(await idsListed(unit, `?district=${tenant.districtCodes[1]}&station=${tenant.stationCodes[0]}`)).toEqual([]);
    expect(await idsListed(unit, `?station=${tenant.districtCodes[0]}-NOWHERE`)).toEqual([]);

    const district = await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]);
    expect(await idsListed(district, `?station=${tenant.stationCodes[1]}`)).toEqual([b!.id]);
    expect(await idsListed(district, `?station=${tenant.stationCodes[2]}`)).toEqual([]);
    expect(await idsListed(district, `?district=${tenant.districtCodes[1]}`)).toEqual([]);

    const station = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    expect(await idsListed(station, `?station=${tenant.stationCodes[1]}`)).toEqual([]);
    expect(await idsListed(station, `?district=${tenant.districtCodes[0]}`)).toEqual([a!.id]);

    expect(await pointersOf(await api('/v1/cases?station=lower-case', { token: unit }))).toEqual(['/query/station']);
    expect(await pointersOf(await api('/v1/cases?district=bad code', { token: unit }))).toEqual(['/query/district']);
  });

  it('filters by the assigned officer, and `me` is the caller', async () => {
    const tenant = await createTestTenant();
    const assigned = await reportAt(tenant, 0);
    await reportAt(tenant, 0);
    await post(`/v1/cases/${assigned.id}/assignee`, await sho(tenant, 0), { subject: 'psi.patil', name: 'PSI A. Patil' }, { 'If-Match': '"v1"' });

    const unit = await tokenFor.unit(tenant.unitCode);
    expect(await idsListed(unit, '?assignedTo=psi.patil')).toEqual([assigned.id]);
    expect(await idsListed(unit, '?assignedTo=psi.jadhav')).toEqual([]);
    expect((await listCases(unit, '?assignedTo=psi.patil')).data[0]?.assignedOfficer).toEqual({ subject: 'psi.patil', name: 'PSI A. Patil' });

    const patil = await signToken({ sub: 'psi.patil', roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] });
    expect(await idsListed(patil, '?assignedTo=me')).toEqual([assigned.id]);
    const colleague = await signToken({ sub: 'psi.jadhav', roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] });
    expect(await idsListed(colleague, '?assignedTo=me')).toEqual([]);
    // The same subject at another station sees nothing it does not hold.
    const namesake = await signToken({ sub: 'psi.patil', roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[1] });
    expect(await idsListed(namesake, '?assignedTo=me')).toEqual([]);
  });

  it('filters by platform, normalised as on intake', async () => {
    const tenant = await createTestTenant();
    const instagram = await reportAt(tenant, 0);
    const base = intake();
    const tinder = await reportAt(tenant, 0, { incident: { ...base.incident, platforms: ['Other: Tinder', 'twitter'] } });
    const unit = await tokenFor.unit(tenant.unitCode);
    expect(await idsListed(unit, '?platform=instagram')).toEqual([instagram.id]);
    expect(await idsListed(unit, '?platform=Instagram')).toEqual([instagram.id]);
    expect(await idsListed(unit, '?platform=other%3Atinder')).toEqual([tinder.id]);
    expect(await idsListed(unit, '?platform=x')).toEqual([tinder.id]);
    expect(await idsListed(unit, '?platform=twitter')).toEqual([tinder.id]);
    expect(await idsListed(unit, '?platform=telegram')).toEqual([]);
    expect((await listCases(unit, '?platform=x')).data[0]?.platforms).toEqual(['other:tinder', 'x']);
    expect(await pointersOf(await api('/v1/cases?platform=instagarm', { token: unit }))).toEqual(['/query/platform']);
  });

  it('filters by whether the victim is a minor', async () => {
    const tenant = await createTestTenant();
    const minor = await reportAt(tenant, 0, { victim: { name: 'Rohan Deshmukh', age: 17 } });
    const adult = await reportAt(tenant, 0, { victim: { name: 'Anil Kale', age: 34 } });
    const minorByFlag = await reportAt(tenant, 0, { victim: { isMinor: true } });
    const unit = await tokenFor.unit(tenant.unitCode);
    expect(await idsListed(unit, '?minor=true')).toEqual(newestFirst(minor, minorByFlag));
    expect(await idsListed(unit, '?minor=false')).toEqual([adult.id]);
    expect(await idsListed(unit, '?minor=true&status=transferred')).toEqual([]);
    expect(await pointersOf(await api('/v1/cases?minor=yes', { token: unit }))).toEqual(['/query/minor']);
  });

  it('filters by when the case was reported: from is inclusive, before is exclusive', async () => {
    const tenant = await createTestTenant();
    const first = await reportAt(tenant, 0);
    const second = await reportAt(tenant, 0);
    const third = await reportAt(tenant, 0);
    const unit = await tokenFor.unit(tenant.unitCode);
    expect(await idsListed(unit, `?reportedFrom=${second.reportedAt}`)).toEqual(newestFirst(second, third));
    expect(await idsListed(unit, `?reportedBefore=${second.reportedAt}`)).toEqual([first.id]);
    expect(await idsListed(unit, `?reportedFrom=${second.reportedAt}&reportedBefore=${third.reportedAt}`)).toEqual([second.id]);
    expect(await idsListed(unit, '?reportedBefore=2020-01-01T00:00:00Z')).toEqual([]);
    expect(await idsListed(unit, `?reportedFrom=${encodeURIComponent('2020-01-01T05:30:00+05:30')}`)).toEqual(newestFirst(first, second, third));
    expect(await pointersOf(await api('/v1/cases?reportedFrom=yesterday', { token: unit }))).toEqual(['/query/reportedFrom']);
    expect(await pointersOf(await api('/v1/cases?reportedBefore=2026-13-01T00:00:00Z', { token: unit }))).toEqual(['/query/reportedBefore']);
  });

  it('filters by a suspect identifier, normalised, and only among the caller\'s cases', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const quickcash = await reportAt(tenant, 0);
    const elsewhere = await reportAt(tenant, 2, {
      identifiers: [{ kind: 'phone', value: '07000012345' }],
      payments: [{ amount: '2000', paidAt: minutesAgo(30), method: 'upi', payee: { kind: 'upi', value: 'fastmoney@paytm' } }],
    });
    const othersCase = await reportAt(other, 0);

    const unit = await tokenFor.unit(tenant.unitCode);
    for (const identifier of ['upi:quickcash@ybl', 'upi:QuickCash@YBL', encodeURIComponent('upi: QuickCash@YBL ')]) {
      expect(await idsListed(unit, `?identifier=${identifier}`), identifier).toEqual([quickcash.id]);
    }
    expect(await idsListed(unit, '?identifier=upi:fastmoney@paytm')).toEqual([elsewhere.id]);
    expect(await idsListed(unit, `?identifier=${encodeURIComponent('phone:+91 70000 12345')}`)).toEqual(newestFirst(quickcash, elsewhere));
    expect(await idsListed(unit, `?identifier=${encodeURIComponent('platform_handle:instagram:@Priya.Sharma_22')}`)).toEqual([quickcash.id]);
    expect(await idsListed(unit, '?identifier=upi:nobody@ybl')).toEqual([]);
    expect(await idsListed(unit, `?identifier=phone:07000012345&station=${tenant.stationCodes[2]}`)).toEqual([elsewhere.id]);
    // Station 0 does not see station 2's case, even by an identifier they share.
    expect(await idsListed(await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), '?identifier=phone:07000012345')).toEqual([quickcash.id]);
    // Another unit has a case with the same identifier: each sees only its own.
    expect(await idsListed(await tokenFor.unit(other.unitCode), '?identifier=upi:quickcash@ybl')).toEqual([othersCase.id]);

    for (const identifier of ['upi:not-an-address', 'quickcash@ybl', 'fax:12345', 'phone:call-me', encodeURIComponent('bank_account:SBIN0001234')]) {
      expect(await pointersOf(await api(`/v1/cases?identifier=${identifier}`, { token: unit })), identifier).toEqual(['/query/identifier']);
    }
  });

  it('adds the cases a station or district held before a transfer only with holder=any', async () => {
    const tenant = await createTestTenant();
    const moved = await reportAt(tenant, 0);
    const stayed = await reportAt(tenant, 0);
    await transfer(tenant, moved.id, 0, 3);

    const station = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    expect(await idsListed(station)).toEqual([stayed.id]);
    expect(await idsListed(station, '?holder=current')).toEqual([stayed.id]);
    const any = await listCases(station, '?holder=any');
    expect(any.data.map((item) => item.id)).toEqual(newestFirst(moved, stayed));
    expect(any.data.find((item) => item.id === moved.id)).toMatchObject({ status: 'transferred', station: { code: tenant.stationCodes[3] }, reportedStation: { code: tenant.stationCodes[0] } });

    const district = await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]);
    expect(await idsListed(district)).toEqual([stayed.id]);
    expect(await idsListed(district, '?holder=any')).toEqual(newestFirst(moved, stayed));
    expect(await idsListed(await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]))).toEqual([moved.id]);

    expect(await idsListed(await tokenFor.station(tenant.unitCode, tenant.stationCodes[3]))).toEqual([moved.id]);
    expect(await idsListed(await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]), '?holder=any')).toEqual([]);
    expect(await idsListed(await tokenFor.unit(tenant.unitCode), '?holder=any')).toEqual(newestFirst(moved, stayed));
    expect(await pointersOf(await api('/v1/cases?holder=past', { token: station }))).toEqual(['/query/holder']);
  });

  it('keeps to holder=current when a district filter is given: a case handed on is no longer the station\'s', async () => {
    const tenant = await createTestTenant();
    const stayed = await reportAt(tenant, 0);
    const movedNearby = await reportAt(tenant, 0);
    await transfer(tenant, movedNearby.id, 0, 1);
    const station = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    expect(await idsListed(station)).toEqual([stayed.id]);
    expect(await idsListed(station, `?district=${tenant.districtCodes[0]}`)).toEqual([stayed.id]);
    expect(await idsListed(station, `?district=${tenant.districtCodes[0]}&holder=current`)).toEqual([stayed.id]);
    expect(await idsListed(station, `?district=${tenant.districtCodes[0]}&holder=any`)).toEqual(newestFirst(stayed, movedNearby));
  });

  it('finds a case held before by the station or district that holds it now, with holder=any', async () => {
    const tenant = await createTestTenant();
    const moved = await reportAt(tenant, 0);
    await transfer(tenant, moved.id, 0, 3);
    const station = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    const listed = await listCases(station, '?holder=any');
    expect(listed.data.map((item) => [item.id, item.station.code])).toEqual([[moved.id, tenant.stationCodes[3]]]);
    // Filtering that list by the station it shows gives the same case back.
    expect(await idsListed(station, `?holder=any&station=${tenant.stationCodes[3]}`)).toEqual([moved.id]);
    expect(await idsListed(station, `?holder=any&district=${tenant.districtCodes[1]}`)).toEqual([moved.id]);
    const district = await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]);
    expect(await idsListed(district, `?holder=any&station=${tenant.stationCodes[3]}`)).toEqual([moved.id]);
    expect(await idsListed(district, `?holder=any&district=${tenant.districtCodes[1]}`)).toEqual([moved.id]);
  });

  it('pages newest first with an opaque cursor: no duplicates, no gaps, unaffected by newer cases', async () => {
    const tenant = await createTestTenant();
    const reported: CaseBody[] = [];
    for (let count = 0; count < 5; count += 1) reported.push(await reportAt(tenant, 0));
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    const expected = newestFirst(...reported);
    expect(await idsListed(token)).toEqual(expected);

    const first = await listCases(token, '?limit=2');
    expect(first.data.map((item) => item.id)).toEqual(expected.slice(0, 2));
    expect(first.pagination).toEqual({ nextCursor: expect.any(String), hasMore: true });

    // A case reported meanwhile is newer than the cursor: it does not shift the pages that follow.
    const meanwhile = await reportAt(tenant, 0);
    const second = await listCases(token, `?limit=2&cursor=${first.pagination.nextCursor}`);
    expect(second.data.map((item) => item.id)).toEqual(expected.slice(2, 4));
    expect(second.pagination.hasMore).toBe(true);
    const third = await listCases(token, `?limit=2&cursor=${second.pagination.nextCursor}`);
    expect(third.data.map((item) => item.id)).toEqual(expected.slice(4));
    expect(third.pagination).toEqual({ nextCursor: null, hasMore: false });
    expect(await idsListed(token, '?limit=2')).toEqual([meanwhile.id, expected[0]]);

    // Exactly a page's worth left: the last full page says so.
    const exact = await listCases(token, `?limit=4&cursor=${first.pagination.nextCursor}`);
    expect(exact.data.map((item) => item.id)).toEqual(expected.slice(2));
    expect(exact.pagination).toEqual({ nextCursor: null, hasMore: false });

    // A filter carries on across pages.
    const other = await tokenFor.unit(tenant.unitCode);
    const filtered = await listCases(other, `?limit=3&station=${tenant.stationCodes[0]}&status=reported`);
    const rest = await listCases(other, `?limit=3&station=${tenant.stationCodes[0]}&status=reported&cursor=${filtered.pagination.nextCursor}`);
    expect([...filtered.data, ...rest.data].map((item) => item.id)).toEqual([meanwhile.id, ...expected]);
  });

  it('rejects a tampered cursor and a bad page size', async () => {
    const tenant = await createTestTenant();
    for (let count = 0; count < 3; count += 1) await reportAt(tenant, 0);
    const token = await tokenFor.unit(tenant.unitCode);
    const cursor = (await listCases(token, '?limit=1')).pagination.nextCursor!;
    const position = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, string>;
    const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const tampered = [
      cursor.slice(0, Math.floor(cursor.length / 2)),
      encode({ ...position, id: 'not-a-uuid' }),
      encode({ ...position, reportedAt: 'yesterday' }),
      encode({ after: '42' }),
      encode({ ...position, reportedAt: "2026-01-01T00:00:00Z'; drop table cases; --" }),
      'bm90LWpzb24',
    ];
    for (const forged of tampered) {
      const problem = await expectProblem(await api(`/v1/cases?limit=1&cursor=${forged}`, { token }), 400, 'invalid_cursor');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/query/cursor']);
    }
    for (const limit of ['0', '201', 'ten', '-1']) {
      expect(await pointersOf(await api(`/v1/cases?limit=${limit}`, { token })), limit).toEqual(['/query/limit']);
    }
  });

  it('refuses callers without cases:read with 403 and unauthenticated callers with 401', async () => {
    const tenant = await createTestTenant();
    await expectProblem(await api('/v1/cases', { token: await tokenFor.client(tenant.unitCode, ['cases:report']) }), 403, 'forbidden');
    await expectProblem(await api('/v1/cases', { token: await tokenFor.platform() }), 403, 'forbidden');
    await expectProblem(await api('/v1/cases'), 401, 'unauthorized');
    await expectProblem(await api('/v1/cases', { token: 'not.a.token' }), 401, 'unauthorized');
  });
});
