import { describe, expect, it } from 'vitest';
import { getPlatformRoute } from '../../../src/routes/platforms/get-platform.js';
import { listPlatformsRoute } from '../../../src/routes/platforms/list-platforms.js';
import { putPlatformRoute } from '../../../src/routes/platforms/put-platform.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { withRoundTrips } from '../platform-requests/round-trips.js';

const platformsPath = (unitCode: string) => `/v1/units/${unitCode}/platforms`;

const SHIPPED_KEYS = [
  'banks', 'dating-apps', 'facebook', 'gaming-apps', 'google', 'instagram', 'national-takedown-portal', 'payment-apps', 'snapchat',
  'telecoms', 'telegram', 'whatsapp', 'x', 'youtube',
];

function putPlatform(unitCode: string, key: string, token: string, body: Record<string, unknown>, ifMatch?: string) {
  return api(`${platformsPath(unitCode)}/${key}`, { method: 'PUT', token, body, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
}

function deletePlatform(unitCode: string, key: string, token: string, ifMatch?: string) {
  return api(`${platformsPath(unitCode)}/${key}`, { method: 'DELETE', token, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
}

async function allEntries(unitCode: string, token: string) {
  const entries = [];
  let query = '?limit=5';
  for (;;) {
    const page = await parseResponse(listPlatformsRoute, 200, await api(`${platformsPath(unitCode)}${query}`, { token }));
    entries.push(...page.data);
    if (!page.pagination.nextCursor) return entries;
    query = `?limit=5&cursor=${page.pagination.nextCursor}`;
  }
}

async function entryOf(unitCode: string, key: string, token: string) {
  const response = await api(`${platformsPath(unitCode)}/${key}`, { token });
  return { etag: response.headers.get('etag'), entry: await parseResponse(getPlatformRoute, 200, response) };
}

const pune = { name: 'Instagram (Meta) — Pune desk', category: 'social', channels: [{ kind: 'email', address: 'le-desk@example.org' }], preservationDays: 60 };

async function unitWithAdmin(): Promise<{ tenant: TestTenant; admin: string }> {
  const tenant = await createTestTenant();
  return { tenant, admin: await tokenFor.unit(tenant.unitCode) };
}

describe('the platform directory: /v1/units/{unitCode}/platforms', () => {
  it('lists the shipped directory by key, in pages, to anyone in the unit with cases:read', async () => {
    const { tenant } = await unitWithAdmin();
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
      await tokenFor.auditor(tenant.unitCode),
    ]) {
      const entries = await allEntries(tenant.unitCode, token);
      expect(entries.map((entry) => entry.key)).toEqual(SHIPPED_KEYS);
      expect(entries.every((entry) => entry.source === 'shipped' && !entry.overridesShipped)).toBe(true);
    }
    const { entry, etag } = await entryOf(tenant.unitCode, 'instagram', await tokenFor.auditor(tenant.unitCode));
    expect(entry).toMatchObject({ key: 'instagram', name: 'Instagram (Meta)', category: 'social', turnaroundHours: 72, preservationDays: 90, source: 'shipped' });
    // The shipped entry is not the unit's to match: no ETag.
    expect(etag).toBeNull();
  });

  it('creates the unit\'s own entry without If-Match, which overrides the shipped one for this unit only, and is audited', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const response = await putPlatform(tenant.unitCode, 'instagram', admin, pune);
    expect(response.headers.get('etag')).toBe('"v1"');
    const created = await parseResponse(putPlatformRoute, 201, response);
    expect(created).toEqual({
      key: 'instagram',
      ...pune,
      requiredFields: [],
      turnaroundHours: null,
      notes: '',
      source: 'unit',
      overridesShipped: true,
      version: 1,
      updatedAt: expect.any(String),
    });
    const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[2]);
    expect(await entryOf(tenant.unitCode, 'instagram', officer)).toEqual({ etag: '"v1"', entry: created });
    const listed = await allEntries(tenant.unitCode, officer);
    expect(listed.map((entry) => entry.key)).toEqual(SHIPPED_KEYS);
    expect(listed.find((entry) => entry.key === 'instagram')).toEqual(created);

    // A body the shipped directory lacks.
    const local = await parseResponse(putPlatformRoute, 201, await putPlatform(tenant.unitCode, 'sahakari-bank', admin, { name: 'Sahakari Bank nodal officer', category: 'bank' }));
    expect(local).toMatchObject({ source: 'unit', overridesShipped: false });
    expect((await allEntries(tenant.unitCode, officer)).map((entry) => entry.key)).toContain('sahakari-bank');

    const other = await createTestTenant();
    const theirs = await allEntries(other.unitCode, await tokenFor.auditor(other.unitCode));
    expect(theirs.find((entry) => entry.key === 'instagram')).toMatchObject({ name: 'Instagram (Meta)', source: 'shipped' });
    expect(theirs.map((entry) => entry.key)).not.toContain('sahakari-bank');

    const events = (await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'platform.created');
    expect(events.map((event) => event.target)).toEqual([{ type: 'platform', id: 'instagram' }, { type: 'platform', id: 'sahakari-bank' }]);
    expect(events[0]!.changes).toMatchObject({ key: 'instagram', name: pune.name, preservationDays: 60 });
  });

  it('replaces the unit\'s entry only under If-Match: 428 without it, 412 when stale or when there is nothing of the unit\'s to replace', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const noneYet = await expectProblem(await putPlatform(tenant.unitCode, 'x', admin, pune, '*'), 412, 'precondition_failed');
    expect(noneYet.detail).toContain('send the PUT without If-Match to create one');
    await putPlatform(tenant.unitCode, 'x', admin, { name: 'X legal desk', category: 'social' });
    const again = await expectProblem(await putPlatform(tenant.unitCode, 'x', admin, pune), 428, 'precondition_required');
    expect(again.detail).toContain('send If-Match');
    const replacedResponse = await putPlatform(tenant.unitCode, 'x', admin, { name: 'X (Twitter) legal desk', category: 'social', turnaroundHours: 48 }, '"v1"');
    expect(replacedResponse.headers.get('etag')).toBe('"v2"');
    expect(await parseResponse(putPlatformRoute, 200, replacedResponse)).toMatchObject({ name: 'X (Twitter) legal desk', turnaroundHours: 48, preservationDays: null, version: 2 });
    await expectProblem(await putPlatform(tenant.unitCode, 'x', admin, pune, '"v1"'), 412, 'precondition_failed');
    expect((await parseResponse(putPlatformRoute, 200, await putPlatform(tenant.unitCode, 'x', admin, pune, '*'))).version).toBe(3);
    expect((await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'platform.replaced')).toHaveLength(2);
  });

  it('reads and writes in one database round trip each', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const path = `${platformsPath(tenant.unitCode)}/instagram`;
    expect(await withRoundTrips(path, admin, { method: 'PUT', body: pune })).toMatchObject({ status: 201, roundTrips: { http: 1, webSocket: 0 } });
    expect(await withRoundTrips(path, admin, { method: 'PUT', body: pune, headers: { 'If-Match': '"v1"' } })).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
    expect(await withRoundTrips(platformsPath(tenant.unitCode), admin)).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
    expect(await withRoundTrips(path, admin, { method: 'DELETE', headers: { 'If-Match': '"v2"' } })).toMatchObject({ status: 204, roundTrips: { http: 1, webSocket: 0 } });
  });

  it('deletes the unit\'s own entry under If-Match, falling back to the shipped one', async () => {
    const { tenant, admin } = await unitWithAdmin();
    await putPlatform(tenant.unitCode, 'instagram', admin, pune);
    await expectProblem(await deletePlatform(tenant.unitCode, 'instagram', admin), 428, 'precondition_required');
    await expectProblem(await deletePlatform(tenant.unitCode, 'instagram', admin, '"v9"'), 412, 'precondition_failed');
    expect((await deletePlatform(tenant.unitCode, 'instagram', admin, '"v1"')).status).toBe(204);
    const { entry, etag } = await entryOf(tenant.unitCode, 'instagram', admin);
    expect(entry).toMatchObject({ name: 'Instagram (Meta)', source: 'shipped', preservationDays: 90 });
    expect(etag).toBeNull();
    // Nothing of the unit's left: the shipped entry itself cannot be deleted here.
    await expectProblem(await deletePlatform(tenant.unitCode, 'instagram', admin, '*'), 404, 'not_found');
    await putPlatform(tenant.unitCode, 'local-app', admin, { name: 'Local app', category: 'other' });
    expect((await deletePlatform(tenant.unitCode, 'local-app', admin, '*')).status).toBe(204);
    await expectProblem(await api(`${platformsPath(tenant.unitCode)}/local-app`, { token: admin }), 404, 'not_found');
    expect((await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'platform.deleted').map((event) => event.target.id)).toEqual(['instagram', 'local-app']);
  });

  it('validates the entry and the key, pointing at the field', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const bad = await expectProblem(
      await putPlatform(tenant.unitCode, 'instagram', admin, { name: '', category: 'forum', preservationDays: 0, channels: [{ kind: 'fax', address: 'x' }], surprise: 1 }),
      400,
      'validation_failed',
    );
    expect(bad.errors?.map((error) => error.pointer).sort()).toEqual(['/body', '/body/category', '/body/channels/0/kind', '/body/name', '/body/preservationDays']);
    const key = await expectProblem(await putPlatform(tenant.unitCode, 'Insta%20Gram', admin, pune), 400, 'validation_failed');
    expect(key.errors?.[0]?.pointer).toBe('/path/key');
    await expectProblem(await api(`${platformsPath(tenant.unitCode)}?cursor=zzz`, { token: admin }), 400, 'invalid_cursor');
  });

  it('keeps each unit to its own directory: writes by others are refused, another unit\'s directory is 404', async () => {
    const { tenant, admin } = await unitWithAdmin();
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.auditor(tenant.unitCode),
      await tokenFor.platform(),
    ]) {
      await expectProblem(await putPlatform(tenant.unitCode, 'instagram', token, pune), 403, 'forbidden');
      await expectProblem(await deletePlatform(tenant.unitCode, 'instagram', token, '*'), 403, 'forbidden');
    }
    await expectProblem(await api(platformsPath(tenant.unitCode), { token: await tokenFor.platform() }), 403, 'forbidden');
    await expectProblem(await api(platformsPath(tenant.unitCode), { token: await tokenFor.client(tenant.unitCode, []) }), 403, 'forbidden');
    await expectProblem(await api(platformsPath(tenant.unitCode)), 401, 'unauthorized');

    const other = await unitWithAdmin();
    await putPlatform(tenant.unitCode, 'instagram', admin, pune);
    await expectProblem(await putPlatform(tenant.unitCode, 'instagram', other.admin, pune, '*'), 404, 'not_found');
    await expectProblem(await deletePlatform(tenant.unitCode, 'instagram', other.admin, '*'), 404, 'not_found');
    await expectProblem(await api(platformsPath(tenant.unitCode), { token: other.admin }), 404, 'not_found');
    await expectProblem(await api(`${platformsPath(tenant.unitCode)}/instagram`, { token: await tokenFor.auditor(other.tenant.unitCode) }), 404, 'not_found');
    expect((await entryOf(tenant.unitCode, 'instagram', admin)).entry.name).toBe(pune.name);
  });
});
