import { describe, expect, it } from 'vitest';
import { listCasesByIdentifierRoute } from '../../../src/routes/identifiers/list-cases-by-identifier.js';
import { api, expectProblem } from '../../support/api.js';
import { reportTestCase, type CaseBody } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { minutesAgo } from '../../support/clock.js';

function search(kind: string, value: string, token: string, query = '') {
  return api(`/v1/identifiers/${kind}/${encodeURIComponent(value)}/cases${query}`, { token });
}

async function casesSharing(kind: string, value: string, token: string, query = '') {
  return parseResponse(listCasesByIdentifierRoute, 200, await search(kind, value, token, query));
}

async function idsSharing(kind: string, value: string, token: string) {
  return (await casesSharing(kind, value, token)).data.map((item) => item.id);
}

/** Reports a case at station `index` with these suspect identifiers and no payments. */
async function reportWith(tenant: TestTenant, index: number, identifiers: unknown[], payments: unknown[] = []) {
  const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[index]!, 'duty_officer');
  return reportTestCase(tenant, { identifiers, payments }, token);
}

const newestFirst = (...cases: CaseBody[]) => cases.map((item) => item.id).reverse();

const pointersOf = async (response: Response) => (await expectProblem(response, 400, 'validation_failed')).errors?.map((error) => error.pointer);

describe('GET /v1/identifiers/{kind}/{value}/cases', () => {
  it('finds the unit\'s cases across stations however the phone number was written', async () => {
    const tenant = await createTestTenant();
    const north = await reportWith(tenant, 0, [{ kind: 'phone', value: '09812345610' }]);
    const south = await reportWith(tenant, 2, [{ kind: 'phone', value: '+91 98123 45610' }]);
    await reportWith(tenant, 1, [{ kind: 'phone', value: '+91 98123 45611' }]);
    for (const token of [await tokenFor.unit(tenant.unitCode), await tokenFor.auditor(tenant.unitCode)]) {
      for (const written of ['+919812345610', '+91 98123 45610', '09812345610', '9812345610', '098123-45610', 'tel:+91-98123-45610']) {
        const page = await casesSharing('phone', written, token);
        expect(page.identifier, written).toEqual({ kind: 'phone', value: '+919812345610' });
        expect(page.data.map((item) => item.id), written).toEqual(newestFirst(north, south));
        expect(page.pagination).toEqual({ nextCursor: null, hasMore: false });
      }
    }
    const page = await casesSharing('phone', '09812345610', await tokenFor.unit(tenant.unitCode));
    expect(page.data.map((item) => item.station.code)).toEqual([tenant.stationCodes[2], tenant.stationCodes[0]]);
    expect(JSON.stringify(page)).not.toContain('Sunita');
  });

  it('shows a station or district only the cases it may see, including those it held before a transfer', async () => {
    const tenant = await createTestTenant();
    const north = await reportWith(tenant, 0, [{ kind: 'phone', value: '09812345610' }]);
    const south = await reportWith(tenant, 2, [{ kind: 'phone', value: '09812345610' }]);
    const station = (index: number) => tokenFor.station(tenant.unitCode, tenant.stationCodes[index]!);

    expect(await idsSharing('phone', '09812345610', await station(0))).toEqual([north.id]);
    expect(await idsSharing('phone', '09812345610', await station(1))).toEqual([]);
    expect(await idsSharing('phone', '09812345610', await station(2))).toEqual([south.id]);
    expect(await idsSharing('phone', '09812345610', await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]))).toEqual([north.id]);
    expect(await idsSharing('phone', '09812345610', await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]))).toEqual([south.id]);

    const transferred = await api(`/v1/cases/${north.id}/transfer`, {
      method: 'POST',
      token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      body: { toStationCode: tenant.stationCodes[3], reason: 'to the cyber crime police station' },
    });
    expect(transferred.status).toBe(200);
    expect(await idsSharing('phone', '09812345610', await station(0))).toEqual([north.id]);
    expect(await idsSharing('phone', '09812345610', await station(3))).toEqual([north.id]);
    expect(await idsSharing('phone', '09812345610', await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]))).toEqual(newestFirst(north, south));
    expect(await idsSharing('phone', '09812345610', await station(1))).toEqual([]);
  });

  it('never shows another unit\'s case, even with the same identifier', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const ours = await reportWith(tenant, 0, [{ kind: 'upi', value: 'QuickCash@YBL' }]);
    const theirs = await reportWith(other, 0, [{ kind: 'upi', value: 'quickcash@ybl' }]);
    expect(await idsSharing('upi', 'quickcash@ybl', await tokenFor.unit(tenant.unitCode))).toEqual([ours.id]);
    expect(await idsSharing('upi', 'quickcash@ybl', await tokenFor.unit(other.unitCode))).toEqual([theirs.id]);
    expect(await idsSharing('upi', 'quickcash@ybl', await tokenFor.station(other.unitCode, other.stationCodes[1]))).toEqual([]);
    expect(await idsSharing('upi', 'quickcash@ybl', await tokenFor.client(other.unitCode, ['cases:read', 'personal:read']))).toEqual([theirs.id]);
  });

  it('normalises UPI addresses and payment links', async () => {
    const tenant = await createTestTenant();
    const paid = await reportWith(tenant, 0, [], [{ amount: '5000', paidAt: minutesAgo(920), method: 'upi', payee: { kind: 'upi', value: 'QuickCash@YBL' } }]);
    const token = await tokenFor.unit(tenant.unitCode);
    for (const written of ['quickcash@ybl', 'QuickCash@YBL', ' quickcash@ybl ', 'upi://pay?pa=QuickCash@YBL&pn=Quick%20Cash&am=5000']) {
      const page = await casesSharing('upi', written, token);
      expect(page.identifier, written).toEqual({ kind: 'upi', value: 'quickcash@ybl' });
      expect(page.data.map((item) => item.id), written).toEqual([paid.id]);
    }
    expect(await idsSharing('upi', 'quickcash@okaxis', token)).toEqual([]);
  });

  it('takes a bank account as IFSC:account number, normalised', async () => {
    const tenant = await createTestTenant();
    const paid = await reportWith(tenant, 0, [], [
      { amount: '15000', paidAt: minutesAgo(920), method: 'bank_transfer', payee: { kind: 'bank_account', ifsc: 'sbin0001234', accountNumber: '1234 5678 901' } },
    ]);
    const listed = await reportWith(tenant, 1, [{ kind: 'bank_account', ifsc: 'SBIN0001234', accountNumber: '12345678901' }]);
    const token = await tokenFor.unit(tenant.unitCode);
    for (const written of ['SBIN0001234:12345678901', 'sbin0001234:12345678901', 'SBINO001234:1234-5678-901', 'SBIN0001234:1234 5678 901']) {
      const page = await casesSharing('bank_account', written, token);
      expect(page.identifier, written).toEqual({ kind: 'bank_account', value: 'SBIN0001234:12345678901' });
      expect(page.data.map((item) => item.id), written).toEqual(newestFirst(paid, listed));
    }
    // Leading zeros are part of an account number; another branch's IFSC is another account.
    expect(await idsSharing('bank_account', 'SBIN0001234:012345678901', token)).toEqual([]);
    expect(await idsSharing('bank_account', 'SBIN0009999:12345678901', token)).toEqual([]);
    // The colon may also be written as it is.
    const unencoded = await parseResponse(listCasesByIdentifierRoute, 200, await api('/v1/identifiers/bank_account/SBIN0001234:12345678901/cases', { token }));
    expect(unencoded.data).toHaveLength(2);
  });

  it('takes a handle as platform:handle, and finds a case that recorded only the profile link', async () => {
    const tenant = await createTestTenant();
    const byHandle = await reportWith(tenant, 0, [{ kind: 'platform_handle', platform: 'instagram', handle: '@Priya.Sharma_22' }]);
    const byLink = await reportWith(tenant, 1, [{ kind: 'url', value: 'https://www.instagram.com/priya.sharma_22/?igshid=xyz' }]);
    const facebook = await reportWith(tenant, 2, [{ kind: 'platform_handle', platform: 'facebook', handle: 'priya.sharma' }]);
    const token = await tokenFor.unit(tenant.unitCode);
    for (const written of ['instagram:priya.sharma_22', 'Instagram:@Priya.Sharma_22', 'instagram: priya.sharma_22']) {
      const page = await casesSharing('platform_handle', written, token);
      expect(page.identifier, written).toEqual({ kind: 'platform_handle', value: 'instagram:priya.sharma_22' });
      expect(page.data.map((item) => item.id), written).toEqual(newestFirst(byHandle, byLink));
    }
    // The platform is part of the identifier.
    expect(await idsSharing('platform_handle', 'facebook:Priya.Sharma', token)).toEqual([facebook.id]);
    expect(await idsSharing('platform_handle', 'instagram:priya.sharma', token)).toEqual([]);
    expect(await idsSharing('platform_handle', 'x:priya_sharma_22', token)).toEqual([]);

    const link = await casesSharing('url', 'https://instagram.com/priya.sharma_22', token);
    expect(link.identifier).toEqual({ kind: 'url', value: 'https://instagram.com/priya.sharma_22' });
    expect(link.data.map((item) => item.id)).toEqual([byLink.id]);
    expect(await idsSharing('url', 'http://m.instagram.com/priya.sharma_22#top', token)).toEqual([]);
    expect(await idsSharing('url', 'https://m.instagram.com/priya.sharma_22/?utm_source=share', token)).toEqual([byLink.id]);
  });

  it('rejects an unknown kind at /path/kind and a value that is not one at /path/value', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    for (const kind of ['fax', 'PHONE', 'aadhaar']) {
      expect(await pointersOf(await search(kind, '+919812345610', token)), kind).toEqual(['/path/kind']);
    }
    const invalid: Array<[string, string]> = [
      ['phone', 'call me'],
      ['phone', '12345'],
      ['upi', 'quickcash'],
      ['upi', 'quick cash@ybl'],
      ['email', 'not-an-email'],
      ['bank_account', '12345678901'],
      ['bank_account', 'SBIN0001234:12AB'],
      ['bank_account', 'NOTANIFSC:12345678901'],
      ['platform_handle', 'priya.sharma_22'],
      ['platform_handle', 'instagarm:priya.sharma_22'],
      ['platform_account_id', 'facebook:priya'],
      ['url', 'mailto:priya@example.com'],
      ['imei', '1234'],
    ];
    for (const [kind, value] of invalid) {
      expect(await pointersOf(await search(kind, value, token)), `${kind} ${value}`).toEqual(['/path/value']);
    }
  });

  it('pages newest first with a cursor, and rejects a forged one', async () => {
    const tenant = await createTestTenant();
    const reported: CaseBody[] = [];
    for (let count = 0; count < 3; count += 1) reported.push(await reportWith(tenant, count % 2, [{ kind: 'phone', value: '09812345610' }]));
    const token = await tokenFor.unit(tenant.unitCode);
    const first = await casesSharing('phone', '09812345610', token, '?limit=2');
    expect(first.identifier).toEqual({ kind: 'phone', value: '+919812345610' });
    expect(first.data.map((item) => item.id)).toEqual(newestFirst(...reported).slice(0, 2));
    expect(first.pagination).toEqual({ nextCursor: expect.any(String), hasMore: true });
    const second = await casesSharing('phone', '09812345610', token, `?limit=2&cursor=${first.pagination.nextCursor}`);
    expect(second.identifier).toEqual({ kind: 'phone', value: '+919812345610' });
    expect(second.data.map((item) => item.id)).toEqual(newestFirst(...reported).slice(2));
    expect(second.pagination).toEqual({ nextCursor: null, hasMore: false });

    const forged = await expectProblem(await search('phone', '09812345610', token, '?cursor=bm90LWpzb24'), 400, 'invalid_cursor');
    expect(forged.errors?.map((error) => error.pointer)).toEqual(['/query/cursor']);
    expect(await pointersOf(await search('phone', '09812345610', token, '?limit=0'))).toEqual(['/query/limit']);
  });

  it('refuses callers without cases:read with 403 and unauthenticated callers with 401', async () => {
    const tenant = await createTestTenant();
    await expectProblem(await search('phone', '09812345610', await tokenFor.client(tenant.unitCode, ['cases:report'])), 403, 'forbidden');
    await expectProblem(await search('phone', '09812345610', await tokenFor.platform()), 403, 'forbidden');
    await expectProblem(await api('/v1/identifiers/phone/09812345610/cases'), 401, 'unauthorized');
    await expectProblem(await search('phone', '09812345610', 'not.a.token'), 401, 'unauthorized');
  });
});
