import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../../src/db/client.js';
import { addIdentifierRoute } from '../../../src/routes/cases/add-identifier.js';
import { addNoteRoute } from '../../../src/routes/cases/add-note.js';
import { addPaymentRoute } from '../../../src/routes/cases/add-payment.js';
import { addReferenceRoute } from '../../../src/routes/cases/add-reference.js';
import { getCaseTimelineRoute } from '../../../src/routes/cases/get-case-timeline.js';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { transferCaseRoute } from '../../../src/routes/cases/transfer-case.js';
import { api, expectProblem } from '../../support/api.js';
import { reportTestCase } from '../../support/cases.js';
import { ownerConfig } from '../../support/config.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';
import { hoursAgo } from '../../support/clock.js';

/** An investigating officer of the station that took the complaint, under a subject of their own. */
function officerAt(tenant: TestTenant, station = tenant.stationCodes[0], subject = `io-${crypto.randomUUID()}`) {
  return signToken({ sub: subject, roles: ['investigating_officer'], unit: tenant.unitCode, station });
}

function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  return api(path, { method: 'POST', token, body, headers });
}

async function readCase(caseId: string, token: string) {
  const response = await api(`/v1/cases/${caseId}`, { token });
  const etag = response.headers.get('etag');
  return { body: await parseResponse(getCaseRoute, 200, response), etag };
}

/** The station house officer of the reporting station hands the case to the unit's cyber crime station. */
async function transferToCyberStation(tenant: TestTenant, caseId: string) {
  const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
  const response = await post(`/v1/cases/${caseId}/transfer`, sho, { toStationCode: tenant.stationCodes[3], reason: 'Sextortion of a minor: the cyber crime station investigates' });
  return parseResponse(transferCaseRoute, 200, response);
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Times relative to now: payment and reference times may not lie in the future. */

const identifierKeys = (identifiers: Array<{ kind: string; value: string; source: string }>) =>
  identifiers.map((identifier) => `${identifier.kind} ${identifier.value} ${identifier.source}`).sort();

const INTAKE_IDENTIFIERS = ['phone +917000012345 intake', 'platform_handle instagram:priya.sharma_22 intake', 'upi quickcash@ybl payment'];

describe('POST /v1/cases/{caseId}/identifiers', () => {
  it('records a phone number in E.164 with what was given, and answers 201 with it', async () => {
    const tenant = await createTestTenant();
    const subject = `io-${crypto.randomUUID()}`;
    const token = await officerAt(tenant, tenant.stationCodes[0], subject);
    const reported = await reportTestCase(tenant);

    const added = await parseResponse(addIdentifierRoute, 201, await post(`/v1/cases/${reported.id}/identifiers`, token, { kind: 'phone', value: '098123 45610' }));
    expect(added).toMatchObject({ kind: 'phone', value: '+919812345610', source: 'added', addedBy: subject, details: { raw: '098123 45610', country: 'IN' } });

    const { body: after } = await readCase(reported.id, token);
    expect(identifierKeys(after.identifiers)).toEqual([...INTAKE_IDENTIFIERS, 'phone +919812345610 added'].sort());
    expect(after.identifiers.find((identifier) => identifier.value === '+919812345610')).toEqual(added);
  });

  it('answers 409 already_exists for an identifier the case already has, however it is written', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/identifiers`;

    expect((await post(path, token, { kind: 'phone', value: '098123 45610' })).status).toBe(201);
    await expectProblem(await post(path, token, { kind: 'phone', value: '098123 45610' }), 409, 'already_exists');
    await expectProblem(await post(path, token, { kind: 'phone', value: '+91 98123-45610' }), 409, 'already_exists');
    // Recorded at intake as '+91 70000 12345'.
    await expectProblem(await post(path, token, { kind: 'phone', value: '07000012345' }), 409, 'already_exists');
    await expectProblem(await post(path, token, { kind: 'upi', value: 'QUICKCASH@ybl' }), 409, 'already_exists');

    const { body: after } = await readCase(reported.id, token);
    expect(identifierKeys(after.identifiers)).toEqual([...INTAKE_IDENTIFIERS, 'phone +919812345610 added'].sort());
  });

  it('answers 400 pointing at /body/value for a value that is not an identifier of its kind, and records nothing', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/identifiers`;

    for (const body of [{ kind: 'phone', value: '12' }, { kind: 'upi', value: 'not a upi id' }, { kind: 'email', value: 'nobody' }]) {
      const problem = await expectProblem(await post(path, token, body), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer), JSON.stringify(body)).toEqual(['/body/value']);
    }
    const handle = await expectProblem(await post(path, token, { kind: 'platform_handle', platform: 'instagram', handle: '' }), 400, 'validation_failed');
    expect(handle.errors?.map((error) => error.pointer)).toEqual(['/body/handle']);
    await expectProblem(await post(path, token, { kind: 'fingerprint', value: 'x' }), 400, 'validation_failed');

    const { body: after } = await readCase(reported.id, token);
    expect(identifierKeys(after.identifiers)).toEqual(INTAKE_IDENTIFIERS);
  });

  it('records a profile link as its canonical URL and, as documented, the handle it names', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const link = 'https://www.instagram.com/Quick.Cash.Boss/?igshid=abc123';

    const added = await parseResponse(addIdentifierRoute, 201, await post(`/v1/cases/${reported.id}/identifiers`, token, { kind: 'url', value: link }));
    expect(added).toMatchObject({
      kind: 'url',
      value: 'https://instagram.com/Quick.Cash.Boss',
      source: 'added',
      details: { raw: link, host: 'instagram.com', derived: { kind: 'platform_handle', normalized: 'instagram:quick.cash.boss' } },
    });

    const { body: after } = await readCase(reported.id, token);
    expect(identifierKeys(after.identifiers)).toEqual(
      [...INTAKE_IDENTIFIERS, 'url https://instagram.com/Quick.Cash.Boss added', 'platform_handle instagram:quick.cash.boss added'].sort(),
    );
    const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${reported.id}/timeline`, { token }));
    expect(timeline.data.filter((entry) => entry.action === 'case.identifier_added').map((entry) => ({ target: entry.target, changes: entry.changes }))).toEqual([
      {
        target: { type: 'case_identifier', id: added.id },
        changes: { kind: 'url', value: 'https://instagram.com/Quick.Cash.Boss', derived: ['platform_handle:instagram:quick.cash.boss'] },
      },
    ]);
  });

  it('records a profile link whose handle the case already has without a second handle', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const added = await parseResponse(
      addIdentifierRoute,
      201,
      await post(`/v1/cases/${reported.id}/identifiers`, token, { kind: 'url', value: 'https://instagram.com/priya.sharma_22' }),
    );
    expect(added).toMatchObject({ kind: 'url', value: 'https://instagram.com/priya.sharma_22', source: 'added' });
    const { body: after } = await readCase(reported.id, token);
    expect(identifierKeys(after.identifiers)).toEqual([...INTAKE_IDENTIFIERS, 'url https://instagram.com/priya.sharma_22 added'].sort());
  });

  it('refuses the station that held the case before a transfer (403 not_case_holder) and lets the new holder add', async () => {
    const tenant = await createTestTenant();
    const reported = await reportTestCase(tenant);
    await transferToCyberStation(tenant, reported.id);
    const path = `/v1/cases/${reported.id}/identifiers`;

    const problem = await expectProblem(await post(path, await officerAt(tenant), { kind: 'phone', value: '098123 45610' }), 403, 'not_case_holder');
    expect(problem.detail).toContain(tenant.stationCodes[3]);
    await expectProblem(await post(path, await officerAt(tenant, tenant.stationCodes[1]), { kind: 'phone', value: '098123 45610' }), 404, 'not_found');

    const cyber = await officerAt(tenant, tenant.stationCodes[3]);
    expect((await post(path, cyber, { kind: 'phone', value: '098123 45610' })).status).toBe(201);
    const { body: after } = await readCase(reported.id, cyber);
    expect(identifierKeys(after.identifiers)).toEqual([...INTAKE_IDENTIFIERS, 'phone +919812345610 added'].sort());
  });

  it('answers 404 to another unit, 403 to callers without cases:work, 401 without a token, and records nothing', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/identifiers`;
    const body = { kind: 'phone', value: '098123 45610' };

    await expectProblem(await post(path, await officerAt(other), body), 404, 'not_found');
    await expectProblem(await post(path, await tokenFor.auditor(tenant.unitCode), body), 403, 'forbidden');
    await expectProblem(await post(path, await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), body), 403, 'forbidden');
    await expectProblem(await post(path, await tokenFor.unit(tenant.unitCode), body), 403, 'forbidden');
    await expectProblem(await api(path, { method: 'POST', body }), 401, 'unauthorized');
    await expectProblem(await post(`/v1/cases/${crypto.randomUUID()}/identifiers`, await officerAt(tenant), body), 404, 'not_found');
    await expectProblem(await post('/v1/cases/not-a-uuid/identifiers', await officerAt(tenant), body), 400, 'validation_failed');

    const { body: after } = await readCase(reported.id, await officerAt(tenant));
    expect(identifierKeys(after.identifiers)).toEqual(INTAKE_IDENTIFIERS);
  });

  it('replays the first answer for a retry under the same Idempotency-Key, and refuses the key for another body', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/identifiers`;
    const key = crypto.randomUUID();

    const first = await parseResponse(addIdentifierRoute, 201, await post(path, token, { kind: 'phone', value: '098123 45610' }, { 'Idempotency-Key': key }));
    const retry = await parseResponse(addIdentifierRoute, 201, await post(path, token, { kind: 'phone', value: '098123 45610' }, { 'Idempotency-Key': key }));
    expect(retry).toEqual(first);
    await expectProblem(await post(path, token, { kind: 'phone', value: '098123 45611' }, { 'Idempotency-Key': key }), 422, 'idempotency_key_reused');

    const { body: after } = await readCase(reported.id, token);
    expect(after.identifiers.filter((identifier) => identifier.kind === 'phone' && identifier.source === 'added')).toEqual([first]);
  });

  it('creates exactly one identifier from 20 parallel requests with the same key and body', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const key = crypto.randomUUID();
    const body = { kind: 'upi', value: 'Cash.King@Paytm' };

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post(`/v1/cases/${reported.id}/identifiers`, token, body, { 'Idempotency-Key': key })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409), statuses.join(',')).toBe(true);
    expect(statuses).toContain(201);
    const created = await Promise.all(responses.filter((response) => response.status === 201).map((response) => parseResponse(addIdentifierRoute, 201, response)));
    expect(new Set(created.map((identifier) => identifier.id)).size).toBe(1);
    for (const response of responses.filter((response) => response.status === 409)) await expectProblem(response, 409, 'idempotency_key_in_use');

    const { body: after } = await readCase(reported.id, token);
    expect(after.identifiers.filter((identifier) => identifier.value === 'cash.king@paytm')).toEqual([created[0]]);
    expect(after.identifiers).toHaveLength(INTAKE_IDENTIFIERS.length + 1);
  });
});

describe('POST /v1/cases/{caseId}/payments', () => {
  const paidAt = hoursAgo(3);
  const payment = {
    amount: '2500.50',
    paidAt,
    method: 'upi',
    reference: '433112349999',
    payer: '98123 45610',
    payee: { kind: 'upi', value: 'Cash.King@Paytm' },
  };

  it('adds to the paid total, changes the ETag and records the payee as a suspect identifier', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const before = await readCase(reported.id, token);
    expect(before.body.amountPaid).toBe('5000.00');

    const added = await parseResponse(addPaymentRoute, 201, await post(`/v1/cases/${reported.id}/payments`, token, payment));
    expect(added).toMatchObject({
      amount: '2500.50',
      currency: 'INR',
      paidAt,
      method: 'upi',
      reference: '433112349999',
      payer: '98123 45610',
      payee: 'cash.king@paytm',
    });

    const after = await readCase(reported.id, token);
    expect(after.body.amountPaid).toBe('7500.50');
    expect(after.body.version).toBe(before.body.version + 1);
    expect(after.etag).toBe(`"v${before.body.version + 1}"`);
    expect(after.etag).not.toBe(before.etag);
    expect(after.body.payments.map((recorded) => recorded.id)).toEqual([before.body.payments[0]!.id, added.id]);
    expect(after.body.identifiers.find((identifier) => identifier.value === 'cash.king@paytm')).toMatchObject({ kind: 'upi', source: 'payment' });
    expect(identifierKeys(after.body.identifiers)).toEqual([...INTAKE_IDENTIFIERS, 'upi cash.king@paytm payment'].sort());
  });

  it('adds a second payment to a payee already recorded without a second identifier, and a payment without a payee adds none', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/payments`;

    expect((await post(path, token, { ...payment, amount: '1000', payee: { kind: 'upi', value: 'quickcash@ybl' } })).status).toBe(201);
    const { payee: _payee, ...withoutPayee } = payment;
    const anonymous = await parseResponse(addPaymentRoute, 201, await post(path, token, { ...withoutPayee, amount: '0.50', method: 'cash_deposit' }));
    expect(anonymous.payee).toBeNull();

    const { body: after } = await readCase(reported.id, token);
    expect(after.amountPaid).toBe('6000.50');
    expect(after.version).toBe(3);
    expect(after.payments).toHaveLength(3);
    expect(identifierKeys(after.identifiers)).toEqual(INTAKE_IDENTIFIERS);
  });

  it('records a payment in another currency without adding it to the total in the case currency', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const added = await parseResponse(addPaymentRoute, 201, await post(`/v1/cases/${reported.id}/payments`, token, { ...payment, amount: '100', currency: 'USD' }));
    expect(added).toMatchObject({ amount: '100.00', currency: 'USD' });
    const { body: after } = await readCase(reported.id, token);
    expect(after.amountPaid).toBe('5000.00');
    expect(after.payments.map((recorded) => `${recorded.amount} ${recorded.currency}`)).toEqual(['5000.00 INR', '100.00 USD']);
  });

  it('refuses an amount of zero, a negative one or one with three decimals (400 at /body/amount) and changes nothing', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    for (const amount of ['0', '0.00', '-5', '12.345', 'lots']) {
      const problem = await expectProblem(await post(`/v1/cases/${reported.id}/payments`, token, { ...payment, amount }), 400, 'validation_failed');
      expect(new Set(problem.errors?.map((error) => error.pointer)), amount).toEqual(new Set(['/body/amount']));
    }
    const bad = await expectProblem(await post(`/v1/cases/${reported.id}/payments`, token, { ...payment, payee: { kind: 'upi', value: 'nope' } }), 400, 'validation_failed');
    expect(bad.errors?.map((error) => error.pointer)).toEqual(['/body/payee/value']);

    const after = await readCase(reported.id, token);
    expect(after).toMatchObject({ etag: '"v1"', body: { amountPaid: '5000.00', version: 1 } });
    expect(after.body.payments).toHaveLength(1);
  });

  it('masks the payer for a district supervisor, who reads without personal:read, and not for the station', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    expect((await post(`/v1/cases/${reported.id}/payments`, token, payment)).status).toBe(201);

    const { body: asStation } = await readCase(reported.id, token);
    expect(asStation.payments.map((recorded) => recorded.payer)).toEqual(['rohan@okhdfc', '98123 45610']);

    const { body: asSupervisor } = await readCase(reported.id, await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]));
    expect(asSupervisor.personalData).toBe('masked');
    expect(asSupervisor.payments.map((recorded) => recorded.payer)).toEqual(['ro********fc', '+91 98xxxxxx10']);
    expect(asSupervisor.payments.map((recorded) => recorded.payee)).toEqual(['quickcash@ybl', 'cash.king@paytm']);
    expect(JSON.stringify(asSupervisor)).not.toContain('rohan@okhdfc');
    expect(JSON.stringify(asSupervisor)).not.toContain('9812345610');
  });

  it('refuses the past holder (403) and another unit (404) and leaves the total alone', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    const transferred = await transferToCyberStation(tenant, reported.id);
    await expectProblem(await post(`/v1/cases/${reported.id}/payments`, await officerAt(tenant), payment), 403, 'not_case_holder');
    await expectProblem(await post(`/v1/cases/${reported.id}/payments`, await officerAt(other), payment), 404, 'not_found');
    const { body: after } = await readCase(reported.id, await officerAt(tenant, tenant.stationCodes[3]));
    expect(after).toMatchObject({ amountPaid: '5000.00', version: transferred.version });
  });
});

describe('POST /v1/cases/{caseId}/references', () => {
  it('records a portal acknowledgement and answers 201 with it', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const issuedAt = hoursAgo(1);
    const added = await parseResponse(
      addReferenceRoute,
      201,
      await post(`/v1/cases/${reported.id}/references`, token, { kind: 'ncrp_acknowledgement', value: '31811250012345', issuedAt, note: 'Filed with the victim' }),
    );
    expect(added).toMatchObject({ kind: 'ncrp_acknowledgement', value: '31811250012345', sections: [], issuedAt, note: 'Filed with the victim' });
    const { body: after } = await readCase(reported.id, token);
    expect(after.references).toEqual([added]);
  });

  it('requires an FIR to name its sections (400 at /body/sections) and records one that does', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/references`;
    for (const body of [{ kind: 'fir', value: '0123/2026' }, { kind: 'fir', value: '0123/2026', sections: [] }]) {
      const problem = await expectProblem(await post(path, token, body), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/sections']);
    }
    expect((await readCase(reported.id, token)).body.references).toEqual([]);

    const fir = await parseResponse(addReferenceRoute, 201, await post(path, token, { kind: 'fir', value: '0123/2026', sections: ['IT Act 66E', 'BNS 308(2)'] }));
    expect(fir).toMatchObject({ kind: 'fir', value: '0123/2026', sections: ['IT Act 66E', 'BNS 308(2)'], issuedAt: null, note: null });
  });

  it('answers 409 already_exists for the same kind and value twice, but takes the same value under another kind', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/references`;
    expect((await post(path, token, { kind: 'ncrp_acknowledgement', value: '31811250012345' })).status).toBe(201);
    await expectProblem(await post(path, token, { kind: 'ncrp_acknowledgement', value: '31811250012345', note: 'again' }), 409, 'already_exists');
    expect((await post(path, token, { kind: 'helpline_ticket', value: '31811250012345' })).status).toBe(201);
    const { body: after } = await readCase(reported.id, token);
    expect(after.references.map((reference) => `${reference.kind} ${reference.value}`)).toEqual([
      'ncrp_acknowledgement 31811250012345',
      'helpline_ticket 31811250012345',
    ]);
  });

  it('refuses a value with characters outside the allowed set, the past holder and another unit', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/references`;
    const problem = await expectProblem(await post(path, await officerAt(tenant), { kind: 'other', value: '<script>' }), 400, 'validation_failed');
    expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/value']);
    await transferToCyberStation(tenant, reported.id);
    await expectProblem(await post(path, await officerAt(tenant), { kind: 'other', value: 'X-1' }), 403, 'not_case_holder');
    await expectProblem(await post(path, await officerAt(other), { kind: 'other', value: 'X-1' }), 404, 'not_found');
    expect((await readCase(reported.id, await officerAt(tenant))).body.references).toEqual([]);
  });
});

describe('POST /v1/cases/{caseId}/notes', () => {
  it('adds the note, shows its text on the timeline and puts its SHA-256 in the audit event', async () => {
    const tenant = await createTestTenant();
    const subject = `io-${crypto.randomUUID()}`;
    const token = await officerAt(tenant, tenant.stationCodes[0], subject);
    const reported = await reportTestCase(tenant);
    const text = 'पीड़ित के पिता ने बताया: आरोपी ने फिर से ₹10,000 माँगे।\nCalled back at 18:40.';

    const note = await parseResponse(addNoteRoute, 201, await post(`/v1/cases/${reported.id}/notes`, token, { body: `  ${text}\n ` }));
    expect(note).toMatchObject({ body: text, addedBy: subject });

    const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${reported.id}/timeline`, { token }));
    const entries = timeline.data.filter((entry) => entry.action === 'case.note_added');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ note: text, target: { type: 'case_note', id: note.id }, actor: { subject } });
    expect(entries[0]!.changes).toEqual({ bodySha256: await sha256Hex(text) });
    expect(timeline.data.filter((entry) => entry.action !== 'case.note_added').every((entry) => entry.note === null)).toBe(true);

    // The hash matches the stored note as Postgres hashes it: edits in the table would show.
    const { rows } = await openHttpDatabase(ownerConfig()).execute<{ hash: string }>(
      sql`select encode(sha256(convert_to(body, 'UTF8')), 'hex') as hash from case_notes where id = ${note.id}`,
    );
    expect(rows).toEqual([{ hash: entries[0]!.changes.bodySha256 }]);
  });

  it('refuses an empty note, the past holder and another unit', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    const path = `/v1/cases/${reported.id}/notes`;
    const problem = await expectProblem(await post(path, await officerAt(tenant), { body: '   ' }), 400, 'validation_failed');
    expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/body']);
    await transferToCyberStation(tenant, reported.id);
    await expectProblem(await post(path, await officerAt(tenant), { body: 'Still here' }), 403, 'not_case_holder');
    await expectProblem(await post(path, await officerAt(other), { body: 'Planted' }), 404, 'not_found');
    const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${reported.id}/timeline`, { token: await officerAt(tenant) }));
    expect(timeline.data.map((entry) => entry.action)).toEqual(['case.reported', 'case.checklist_changed', 'case.transferred']);
  });
});
