import { describe, expect, it } from 'vitest';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { listCasesRoute } from '../../../src/routes/cases/list-cases.js';
import { updateCaseRoute } from '../../../src/routes/cases/update-case.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { intake, reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { daysAhead, hoursAgo } from '../../support/clock.js';

const firstContactAt = hoursAgo(8 * 24);

function patch(caseId: string, token: string, body: unknown, ifMatch?: string) {
  return api(`/v1/cases/${caseId}`, { method: 'PATCH', token, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch }, body });
}

const officer = (tenant: TestTenant, index = 0) => tokenFor.station(tenant.unitCode, tenant.stationCodes[index]!);

async function readCase(tenant: TestTenant, caseId: string, token?: string) {
  const response = await api(`/v1/cases/${caseId}`, { token: token ?? (await officer(tenant)) });
  const etag = response.headers.get('etag');
  return { body: await parseResponse(getCaseRoute, 200, response), etag };
}

async function listedIds(tenant: TestTenant, query: string) {
  const page = await parseResponse(listCasesRoute, 200, await api(`/v1/cases${query}`, { token: await tokenFor.unit(tenant.unitCode) }));
  return page.data.map((item) => item.id);
}

/** The case.updated events of one case, oldest first. */
async function updateEvents(tenant: TestTenant, caseId: string) {
  const events = await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode));
  return events.filter((event) => event.action === 'case.updated' && event.target.id === caseId);
}

async function transfer(tenant: TestTenant, caseId: string, from: number, to: number) {
  const response = await api(`/v1/cases/${caseId}/transfer`, {
    method: 'POST',
    token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[from]!, 'station_house_officer'),
    body: { toStationCode: tenant.stationCodes[to], reason: 'the cyber crime police station traces the payments' },
  });
  expect(response.status).toBe(200);
}

const pointersOf = async (response: Response) => (await expectProblem(response, 400, 'validation_failed')).errors?.map((error) => error.pointer);

describe('PATCH /v1/cases/{caseId}', () => {
  it('replaces the victim whole, recomputes the minor flag and bumps the ETag', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant, { victim: { name: 'Rohan Deshmukh', age: 19, gender: 'male' } });
    expect(await listedIds(tenant, '?minor=false')).toEqual([reported.id]);

    const response = await patch(reported.id, await officer(tenant), { victim: { name: 'Rohan Deshmukh', age: 16 } }, '"v1"');
    expect(response.headers.get('etag')).toBe('"v2"');
    const updated = await parseResponse(updateCaseRoute, 200, response);
    expect(updated.version).toBe(2);
    expect(updated.victim).toEqual({ name: 'Rohan Deshmukh', age: 16 });
    expect(updated).toMatchObject({ complainant: reported.complainant, incident: reported.incident, narrative: reported.narrative, status: 'reported' });
    expect(updated.identifiers).toEqual(reported.identifiers);
    expect(updated.payments).toEqual(reported.payments);

    expect(await listedIds(tenant, '?minor=true')).toEqual([reported.id]);
    expect(await listedIds(tenant, '?minor=false')).toEqual([]);
    const read = await readCase(tenant, reported.id);
    expect(read.etag).toBe('"v2"');
    expect(read.body).toEqual(updated);

    // An adult again, by flag alone.
    const adult = await parseResponse(updateCaseRoute, 200, await patch(reported.id, await officer(tenant), { victim: { isMinor: false } }, '"v2"'));
    expect(adult.victim).toEqual({ isMinor: false });
    expect(await listedIds(tenant, '?minor=false')).toEqual([reported.id]);
  });

  it('replaces the incident whole, and the platform and circulation filters follow', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const updated = await parseResponse(
      updateCaseRoute,
      200,
      await patch(reported.id, await officer(tenant), { incident: { firstContactAt, platforms: ['Telegram'], imagesCirculated: true } }, '"v1"'),
    );
    expect(updated.incident).toEqual({ firstContactAt, platforms: ['telegram'], channels: [], recordedMaterial: [], threat: '', imagesCirculated: true });
    expect(await listedIds(tenant, '?platform=telegram')).toEqual([reported.id]);
    expect(await listedIds(tenant, '?platform=instagram')).toEqual([]);
    const page = await parseResponse(listCasesRoute, 200, await api('/v1/cases', { token: await tokenFor.unit(tenant.unitCode) }));
    expect(page.data[0]).toMatchObject({ id: reported.id, platforms: ['telegram'], imagesCirculated: true, version: 2 });
  });

  it('changes the complainant and the narrative, leaving what was not named', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await officer(tenant);
    const complainant = { name: 'Sunita R. Deshmukh', phone: '+91 98123 45611', relationToVictim: 'guardian' };
    const first = await parseResponse(updateCaseRoute, 200, await patch(reported.id, token, { complainant }, '"v1"'));
    expect(first.complainant).toEqual({ name: 'Sunita R. Deshmukh', phone: '+919812345611', relationToVictim: 'guardian' });
    const second = await parseResponse(updateCaseRoute, 200, await patch(reported.id, token, { narrative: '  Paid twice; the second payment on 28 Nov.  ' }, '"v2"'));
    expect(second).toMatchObject({ version: 3, narrative: 'Paid twice; the second payment on 28 Nov.', complainant: first.complainant, victim: reported.victim });
  });

  it('requires If-Match: 428 without it, 412 when stale, 400 when malformed; * and a list of tags are accepted', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await officer(tenant);
    const change = { narrative: 'corrected' };

    await expectProblem(await patch(reported.id, token, change), 428, 'precondition_required');
    for (const malformed of ['v1', '"1"', 'W/v1', '"v1",', '"vone"']) {
      expect(await pointersOf(await patch(reported.id, token, change, malformed)), malformed).toEqual(['/header/if-match']);
    }
    await expectProblem(await patch(reported.id, token, change, '"v2"'), 412, 'precondition_failed');
    expect((await readCase(tenant, reported.id)).body).toEqual(reported);

    expect((await parseResponse(updateCaseRoute, 200, await patch(reported.id, token, change, '"v1"'))).version).toBe(2);
    await expectProblem(await patch(reported.id, token, { narrative: 'overwrites the correction' }, '"v1"'), 412, 'precondition_failed');
    expect((await parseResponse(updateCaseRoute, 200, await patch(reported.id, token, { narrative: 'again' }, '"v1", W/"v2"'))).version).toBe(3);
    expect((await parseResponse(updateCaseRoute, 200, await patch(reported.id, token, { narrative: 'whatever is current' }, '*'))).version).toBe(4);
    const read = await readCase(tenant, reported.id);
    expect(read).toMatchObject({ etag: '"v4"', body: { narrative: 'whatever is current', version: 4 } });
    expect((await updateEvents(tenant, reported.id)).map((event) => (event.changes as { fields: string[] }).fields)).toEqual([['narrative'], ['narrative'], ['narrative']]);
  });

  it('rejects an empty or unknown change and invalid fields, pointing at each', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const token = await officer(tenant);
    const base = intake();
    const cases: Array<[unknown, string[]]> = [
      [{}, ['/body']],
      [{ status: 'closed' }, ['/body']],
      [{ stationCode: tenant.stationCodes[1] }, ['/body']],
      [{ victim: { name: 'Rohan Deshmukh' } }, ['/body/victim/isMinor']],
      [{ victim: { age: 15, isMinor: false } }, ['/body/victim/isMinor']],
      [{ complainant: { ...base.complainant, phone: 'unknown' } }, ['/body/complainant/phone']],
      [{ complainant: { phone: '+919812345610' } }, ['/body/complainant/name']],
      [{ incident: { ...base.incident, platforms: ['instagarm'] } }, ['/body/incident/platforms/0']],
      [{ incident: { ...base.incident, amountDemanded: '1.001' } }, ['/body/incident/amountDemanded']],
      [{ incident: { ...base.incident, firstContactAt: daysAhead(7) } }, ['/body/incident/firstContactAt']],
      [{ narrative: 42 }, ['/body/narrative']],
    ];
    for (const [body, pointers] of cases) {
      // An unknown member also leaves nothing to change: two problems, both about the body as a whole.
      const answered = new Set(await pointersOf(await patch(reported.id, token, body, '"v1"')));
      expect([...answered], JSON.stringify(body)).toEqual(pointers);
    }
    expect(await pointersOf(await patch('not-a-uuid', token, { narrative: 'x' }, '"v1"'))).toEqual(['/path/caseId']);
    expect((await readCase(tenant, reported.id)).body).toEqual(reported);
    expect(await updateEvents(tenant, reported.id)).toEqual([]);
  });

  it('answers a station that held the case before a transfer 403 not_case_holder; the new holder may change it', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    await transfer(tenant, reported.id, 0, 3);

    for (const token of [await officer(tenant, 0), await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer')]) {
      for (const ifMatch of ['"v2"', '*']) {
        await expectProblem(await patch(reported.id, token, { narrative: 'changed by the old station' }, ifMatch), 403, 'not_case_holder');
      }
    }
    const before = await readCase(tenant, reported.id, await officer(tenant, 3));
    expect(before.body).toMatchObject({ version: 2, narrative: reported.narrative });

    const updated = await parseResponse(updateCaseRoute, 200, await patch(reported.id, await officer(tenant, 3), { narrative: 'taken up at the cyber PS' }, '"v2"'));
    expect(updated).toMatchObject({ version: 3, narrative: 'taken up at the cyber PS', station: { code: tenant.stationCodes[3] } });
    // The old station still reads the change, with no move of the case open to it.
    const seenByOldStation = (await readCase(tenant, reported.id, await officer(tenant, 0))).body;
    expect({ ...seenByOldStation, allowedTransitions: updated.allowedTransitions }).toEqual(updated);
    expect(seenByOldStation.allowedTransitions).toEqual([]);
    expect(updated.allowedTransitions).not.toEqual([]);
  });

  it('answers 404 to stations that never held the case and to another unit, and changes nothing', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    const outsiders = [
      await officer(tenant, 1),
      await officer(tenant, 3),
      await tokenFor.station(other.unitCode, other.stationCodes[0], 'station_house_officer'),
      await tokenFor.client(other.unitCode, ['cases:read', 'cases:work', 'personal:read']),
    ];
    for (const token of outsiders) {
      await expectProblem(await patch(reported.id, token, { narrative: 'hijacked' }, '"v1"'), 404, 'not_found');
      await expectProblem(await patch(reported.id, token, { narrative: 'hijacked' }, '*'), 404, 'not_found');
    }
    await expectProblem(await patch(crypto.randomUUID(), await officer(tenant), { narrative: 'nothing there' }, '"v1"'), 404, 'not_found');
    expect((await readCase(tenant, reported.id)).body).toEqual(reported);
    expect(await updateEvents(tenant, reported.id)).toEqual([]);
  });

  it('refuses callers without cases:work with 403 and unauthenticated callers with 401', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const refused = [
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.unit(tenant.unitCode),
      await tokenFor.auditor(tenant.unitCode),
      await tokenFor.client(tenant.unitCode, ['cases:read', 'cases:report', 'personal:read']),
    ];
    for (const token of refused) await expectProblem(await patch(reported.id, token, { narrative: 'not allowed' }, '"v1"'), 403, 'forbidden');
    await expectProblem(await api(`/v1/cases/${reported.id}`, { method: 'PATCH', headers: { 'If-Match': '"v1"' }, body: { narrative: 'anonymous' } }), 401, 'unauthorized');
    expect((await readCase(tenant, reported.id)).body).toEqual(reported);
  });

  it('audits which fields changed without their personal contents', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant, { victim: { name: 'Aarav Kulkarni', age: 19, gender: 'male' } });
    const token = await officer(tenant);
    await parseResponse(updateCaseRoute, 200, await patch(reported.id, token, { victim: { name: 'Aarav Kulkarni', age: 15, phone: '98220 11223' } }, '"v1"'));
    await parseResponse(
      updateCaseRoute,
      200,
      await patch(reported.id, token, {
        complainant: { name: 'Meera Kulkarni', phone: '98220 44556', email: 'meera.k@example.in', relationToVictim: 'parent' },
        incident: { firstContactAt, platforms: ['snapchat'], imagesCirculated: true, threat: 'Will post the photos on the school group' },
        narrative: 'The offender sent a morphed image to a classmate.',
      }, '"v2"'),
    );

    const events = await updateEvents(tenant, reported.id);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ target: { type: 'case', id: reported.id }, actor: { subject: 'officer-1', roles: ['investigating_officer'] } });
    expect(events[0]!.changes).toEqual({ fields: ['victim'], victimIsMinor: true });
    expect(events[1]!.changes).toEqual({
      fields: ['complainant', 'incident', 'narrative'],
      platforms: ['snapchat'],
      imagesCirculated: true,
      amountDemanded: null,
    });
    const recorded = JSON.stringify(events);
    for (const personal of ['Aarav', 'Kulkarni', 'Meera', '9822011223', '9822044556', '98220', 'meera.k@example.in', 'school group', 'morphed image']) {
      expect(recorded).not.toContain(personal);
    }
  });
});
