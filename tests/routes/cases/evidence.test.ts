import { describe, expect, it } from 'vitest';
import { addEvidenceRoute } from '../../../src/routes/cases/add-evidence.js';
import { getCaseTimelineRoute } from '../../../src/routes/cases/get-case-timeline.js';
import { getCaseRoute } from '../../../src/routes/cases/get-case.js';
import { getEvidenceRoute } from '../../../src/routes/cases/get-evidence.js';
import { listEvidenceRoute } from '../../../src/routes/cases/list-evidence.js';
import { recordCustodyRoute } from '../../../src/routes/cases/record-custody.js';
import { transferCaseRoute } from '../../../src/routes/cases/transfer-case.js';
import { api, expectProblem } from '../../support/api.js';
import { reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';
import { hoursAgo } from '../../support/clock.js';

const HELLO_SHA256 = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const SCREENSHOT_SHA256 = '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08';

/** Times relative to now: capture and custody times may not lie in the future. */
const CAPTURED_AT = hoursAgo(6);

function officerAt(tenant: TestTenant, station = tenant.stationCodes[0], subject = `io-${crypto.randomUUID()}`) {
  return signToken({ sub: subject, roles: ['investigating_officer'], unit: tenant.unitCode, station });
}

function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  return api(path, { method: 'POST', token, body, headers });
}

const screenshot = (overrides: Record<string, unknown> = {}) => ({
  kind: 'screenshot',
  description: 'Instagram chat with the threat to circulate the recording',
  sha256: SCREENSHOT_SHA256,
  fileName: 'chat-2026-11-27.png',
  mediaType: 'image/png',
  sizeBytes: 482113,
  capturedAt: CAPTURED_AT,
  ...overrides,
});

async function addEvidence(caseId: string, token: string, body: Record<string, unknown> = screenshot()) {
  return parseResponse(addEvidenceRoute, 201, await post(`/v1/cases/${caseId}/evidence`, token, body));
}

async function readEvidence(caseId: string, evidenceId: string, token: string) {
  const response = await api(`/v1/cases/${caseId}/evidence/${evidenceId}`, { token });
  const etag = response.headers.get('etag');
  return { item: await parseResponse(getEvidenceRoute, 200, response), etag };
}

async function recordCustody(caseId: string, evidenceId: string, token: string, body: Record<string, unknown>) {
  return parseResponse(recordCustodyRoute, 201, await post(`/v1/cases/${caseId}/evidence/${evidenceId}/custody`, token, body));
}

async function listEvidence(caseId: string, token: string) {
  return (await parseResponse(listEvidenceRoute, 200, await api(`/v1/cases/${caseId}/evidence`, { token }))).data;
}

async function transferToCyberStation(tenant: TestTenant, caseId: string) {
  const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
  const response = await post(`/v1/cases/${caseId}/transfer`, sho, { toStationCode: tenant.stationCodes[3], reason: 'Cyber crime station investigates' });
  return parseResponse(transferCaseRoute, 200, response);
}

describe('POST /v1/cases/{caseId}/evidence', () => {
  it('records the SHA-256 taken at capture, lower-cased, as supplied; the capturing officer is the first custodian', async () => {
    const tenant = await createTestTenant();
    const subject = `io-${crypto.randomUUID()}`;
    const token = await officerAt(tenant, tenant.stationCodes[0], subject);
    const reported = await reportTestCase(tenant);

    const item = await addEvidence(reported.id, token);
    expect(item).toMatchObject({
      caseId: reported.id,
      kind: 'screenshot',
      description: 'Instagram chat with the threat to circulate the recording',
      fileName: 'chat-2026-11-27.png',
      mediaType: 'image/png',
      sizeBytes: 482113,
      sha256: SCREENSHOT_SHA256.toLowerCase(),
      hashOrigin: 'supplied',
      capturedAt: CAPTURED_AT,
      capturedBy: { name: subject, subject },
      custodian: { name: subject, subject },
      integrity: 'intact',
      version: 1,
      recordedBy: subject,
    });
    expect(item.custody).toEqual([
      expect.objectContaining({
        kind: 'captured',
        occurredAt: CAPTURED_AT,
        fromCustodian: null,
        toCustodian: { name: subject, subject },
        sha256: SCREENSHOT_SHA256.toLowerCase(),
        matches: true,
        recordedBy: subject,
      }),
    ]);

    const caseNow = await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${reported.id}`, { token }));
    expect(caseNow.evidence).toEqual([
      { id: item.id, kind: 'screenshot', description: item.description, sha256: item.sha256, hashOrigin: 'supplied', capturedAt: item.capturedAt, integrity: 'intact', custodian: item.custodian },
    ]);
  });

  it('hashes the content it is sent (standard or URL-safe base64) and takes its size from it', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const { sha256: _sha256, sizeBytes: _sizeBytes, ...withoutHash } = screenshot();

    const hello = await addEvidence(reported.id, token, { ...withoutHash, kind: 'chat_export', content: btoa('hello') });
    expect(hello).toMatchObject({ sha256: HELLO_SHA256, sizeBytes: 5, hashOrigin: 'computed' });
    expect(hello.custody).toEqual([expect.objectContaining({ kind: 'captured', sha256: HELLO_SHA256, matches: true })]);

    const abc = await addEvidence(reported.id, token, { ...withoutHash, content: 'YWJj', sizeBytes: 3 });
    expect(abc).toMatchObject({ sha256: ABC_SHA256, sizeBytes: 3, hashOrigin: 'computed' });

    // 0xfb 0xff 0xbf is '+/+/' in standard base64 and '-_-_' in URL-safe.
    const standard = await addEvidence(reported.id, token, { ...withoutHash, content: '+/+/' });
    const urlSafe = await addEvidence(reported.id, token, { ...withoutHash, content: '-_-_' });
    expect(urlSafe).toMatchObject({ sha256: standard.sha256, sizeBytes: 3 });
    expect(standard.sha256).not.toBe(abc.sha256);

    const sizeWrong = await expectProblem(await post(`/v1/cases/${reported.id}/evidence`, token, { ...withoutHash, content: btoa('hello'), sizeBytes: 6 }), 400, 'validation_failed');
    expect(sizeWrong.errors?.map((error) => error.pointer)).toEqual(['/body/sizeBytes']);
    expect((await listEvidence(reported.id, token)).map((item) => item.id)).toEqual([hello.id, abc.id, standard.id, urlSafe.id]);
  });

  it('answers 400 for both a hash and content, for neither, for a malformed hash and for content that is not base64', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const { sha256: _sha256, ...withoutHash } = screenshot();
    const path = `/v1/cases/${reported.id}/evidence`;

    for (const body of [screenshot({ content: btoa('hello') }), withoutHash, screenshot({ sha256: 'abc123' }), screenshot({ sha256: `${HELLO_SHA256.slice(1)}g` })]) {
      const problem = await expectProblem(await post(path, token, body), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer), JSON.stringify(body)).toEqual(['/body/sha256']);
    }
    for (const content of ['not base64!', 'aGVsbG8===', 'abcde', 'ab=c']) {
      const problem = await expectProblem(await post(path, token, { ...withoutHash, content }), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer), content).toEqual(['/body/content']);
    }
    const badKind = await expectProblem(await post(path, token, screenshot({ kind: 'rumour' })), 400, 'validation_failed');
    expect(badKind.errors?.map((error) => error.pointer)).toEqual(['/body/kind']);
    expect(await listEvidence(reported.id, token)).toEqual([]);
  });

  it('takes a named capturing officer as the first custodian', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const capturedBy = { name: 'Meena Patil', designation: 'Police Sub-Inspector' };
    const item = await addEvidence(reported.id, token, screenshot({ capturedBy }));
    expect(item).toMatchObject({ capturedBy, custodian: capturedBy });
    expect(item.custody[0]).toMatchObject({ kind: 'captured', toCustodian: capturedBy });
  });

  it('replays the first answer for a retry under the same Idempotency-Key and records one item', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const headers = { 'Idempotency-Key': crypto.randomUUID() };
    const first = await parseResponse(addEvidenceRoute, 201, await post(`/v1/cases/${reported.id}/evidence`, token, screenshot(), headers));
    const retry = await parseResponse(addEvidenceRoute, 201, await post(`/v1/cases/${reported.id}/evidence`, token, screenshot(), headers));
    expect(retry).toEqual(first);
    expect((await listEvidence(reported.id, token)).map((item) => item.id)).toEqual([first.id]);
  });

  it('refuses the past holder (403), another unit (404) and callers without cases:work (403)', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const reported = await reportTestCase(tenant);
    await transferToCyberStation(tenant, reported.id);
    const path = `/v1/cases/${reported.id}/evidence`;
    await expectProblem(await post(path, await officerAt(tenant), screenshot()), 403, 'not_case_holder');
    await expectProblem(await post(path, await officerAt(other), screenshot()), 404, 'not_found');
    await expectProblem(await post(path, await tokenFor.auditor(tenant.unitCode), screenshot()), 403, 'forbidden');
    await expectProblem(await api(path, { method: 'POST', body: screenshot() }), 401, 'unauthorized');
    const cyber = await officerAt(tenant, tenant.stationCodes[3]);
    expect(await listEvidence(reported.id, cyber)).toEqual([]);
    await addEvidence(reported.id, cyber);
    expect(await listEvidence(reported.id, cyber)).toHaveLength(1);
  });
});

describe('GET /v1/cases/{caseId}/evidence and /evidence/{evidenceId}', () => {
  it('shows an item with its capture as the whole chain of custody, and its ETag', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const added = await addEvidence(reported.id, token);
    const { item, etag } = await readEvidence(reported.id, added.id, token);
    expect(item).toEqual(added);
    expect(etag).toBe('"v1"');
    expect(item.custody.map((event) => event.kind)).toEqual(['captured']);
  });

  it('lists the case\'s items in the order recorded, without their custody trails', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await officerAt(tenant);
    const [first, second] = [await reportTestCase(tenant), await reportTestCase(tenant)];
    const a = await addEvidence(first.id, token);
    const b = await addEvidence(first.id, token, screenshot({ kind: 'payment_receipt', sha256: HELLO_SHA256 }));
    await addEvidence(second.id, token);

    const listed = await listEvidence(first.id, token);
    expect(listed.map((item) => item.id)).toEqual([a.id, b.id]);
    expect(listed.every((item) => item.custody.length === 0)).toBe(true);
    expect(listed[1]).toEqual({ ...b, custody: [] });

    await expectProblem(await api(`/v1/cases/${first.id}/evidence`, { token: await officerAt(other) }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${first.id}/evidence`, { token: await officerAt(tenant, tenant.stationCodes[1]) }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${crypto.randomUUID()}/evidence`, { token }), 404, 'not_found');
    expect((await listEvidence(first.id, await tokenFor.auditor(tenant.unitCode))).map((item) => item.id)).toEqual([a.id, b.id]);
  });

  it('answers 404 for an unknown item, for an item named under another case, and to another unit', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await officerAt(tenant);
    const [first, second] = [await reportTestCase(tenant), await reportTestCase(tenant)];
    const item = await addEvidence(first.id, token);

    await expectProblem(await api(`/v1/cases/${first.id}/evidence/${crypto.randomUUID()}`, { token }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${second.id}/evidence/${item.id}`, { token }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${first.id}/evidence/${item.id}`, { token: await officerAt(other) }), 404, 'not_found');
    await expectProblem(await api(`/v1/cases/${first.id}/evidence/not-a-uuid`, { token }), 400, 'validation_failed');
  });
});

describe('POST /v1/cases/{caseId}/evidence/{evidenceId}/custody', () => {
  it('moves the item to the custodian it is handed to, link by link', async () => {
    const tenant = await createTestTenant();
    const subject = `io-${crypto.randomUUID()}`;
    const token = await officerAt(tenant, tenant.stationCodes[0], subject);
    const reported = await reportTestCase(tenant);
    const item = await addEvidence(reported.id, token);
    const malkhana = { name: 'Malkhana in-charge' };
    const lab = { name: 'Regional Forensic Science Laboratory', designation: 'Assistant Director (Cyber)' };

    const handedOver = await recordCustody(reported.id, item.id, token, { kind: 'handed_over', to: malkhana });
    expect(handedOver).toEqual({
      event: expect.objectContaining({ kind: 'handed_over', fromCustodian: { name: subject, subject }, toCustodian: malkhana, sha256: null, matches: null, recordedBy: subject }),
      evidence: { id: item.id, integrity: 'intact', version: 2 },
    });
    const afterFirst = await readEvidence(reported.id, item.id, token);
    expect(afterFirst.item.custodian).toEqual(malkhana);
    expect(afterFirst.etag).toBe('"v2"');

    const labAt = hoursAgo(1);
    await recordCustody(reported.id, item.id, token, { kind: 'handed_over', to: lab, occurredAt: labAt, note: 'Sealed packet, seal intact' });
    const { item: now, etag } = await readEvidence(reported.id, item.id, token);
    expect(now).toMatchObject({ custodian: lab, capturedBy: { name: subject, subject }, version: 3, integrity: 'intact' });
    expect(etag).toBe('"v3"');
    expect(now.custody.map(({ kind, fromCustodian, toCustodian }) => ({ kind, fromCustodian, toCustodian }))).toEqual([
      { kind: 'captured', fromCustodian: null, toCustodian: { name: subject, subject } },
      { kind: 'handed_over', fromCustodian: { name: subject, subject }, toCustodian: malkhana },
      { kind: 'handed_over', fromCustodian: malkhana, toCustodian: lab },
    ]);
    expect(now.custody[1]!.id).toBe(handedOver.event.id);
    expect(now.custody[2]).toMatchObject({ occurredAt: labAt, note: 'Sealed packet, seal intact' });
    const caseNow = await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${reported.id}`, { token }));
    expect(caseNow.evidence.map((summary) => summary.custodian)).toEqual([lab]);
  });

  it('keeps an item intact while re-verification finds the capture hash, and marks it mismatch for good once it does not', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const item = await addEvidence(reported.id, token, screenshot({ sha256: HELLO_SHA256 }));

    const same = await recordCustody(reported.id, item.id, token, { kind: 'reverified', sha256: HELLO_SHA256.toUpperCase() });
    expect(same).toMatchObject({ event: { kind: 'reverified', sha256: HELLO_SHA256, matches: true }, evidence: { integrity: 'intact', version: 2 } });
    const fromContent = await recordCustody(reported.id, item.id, token, { kind: 'reverified', content: btoa('hello') });
    expect(fromContent).toMatchObject({ event: { sha256: HELLO_SHA256, matches: true }, evidence: { integrity: 'intact', version: 3 } });
    expect((await readEvidence(reported.id, item.id, token)).item.integrity).toBe('intact');

    const different = await recordCustody(reported.id, item.id, token, { kind: 'reverified', content: btoa('hello!'), note: 'Copy on the seized phone' });
    expect(different).toMatchObject({ event: { kind: 'reverified', matches: false, note: 'Copy on the seized phone' }, evidence: { integrity: 'mismatch', version: 4 } });
    expect(different.event.sha256).not.toBe(HELLO_SHA256);

    const matchingAgain = await recordCustody(reported.id, item.id, token, { kind: 'reverified', sha256: HELLO_SHA256 });
    expect(matchingAgain).toMatchObject({ event: { matches: true }, evidence: { integrity: 'mismatch', version: 5 } });

    const { item: now } = await readEvidence(reported.id, item.id, token);
    expect(now).toMatchObject({ integrity: 'mismatch', sha256: HELLO_SHA256, version: 5, custodian: item.custodian });
    expect(now.custody.map((event) => [event.kind, event.matches])).toEqual([
      ['captured', true],
      ['reverified', true],
      ['reverified', true],
      ['reverified', false],
      ['reverified', true],
    ]);
    const caseNow = await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${reported.id}`, { token }));
    expect(caseNow.evidence.map((summary) => summary.integrity)).toEqual(['mismatch']);
  });

  it('answers 400 for a re-verification with both or neither of hash and content, or content that is not base64', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const item = await addEvidence(reported.id, token);
    const path = `/v1/cases/${reported.id}/evidence/${item.id}/custody`;
    for (const body of [{ kind: 'reverified' }, { kind: 'reverified', sha256: HELLO_SHA256, content: btoa('hello') }]) {
      const problem = await expectProblem(await post(path, token, body), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/sha256']);
    }
    const notBase64 = await expectProblem(await post(path, token, { kind: 'reverified', content: '%%%' }), 400, 'validation_failed');
    expect(notBase64.errors?.map((error) => error.pointer)).toEqual(['/body/content']);
    await expectProblem(await post(path, token, { kind: 'handed_over' }), 400, 'validation_failed');
    await expectProblem(await post(path, token, { kind: 'destroyed' }), 400, 'validation_failed');
    const { item: now } = await readEvidence(reported.id, item.id, token);
    expect(now).toMatchObject({ version: 1, integrity: 'intact' });
    expect(now.custody).toHaveLength(1);
  });

  it('answers 404 for an unknown item, for an item named under another case, and to another unit, recording nothing', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await officerAt(tenant);
    const [first, second] = [await reportTestCase(tenant), await reportTestCase(tenant)];
    const item = await addEvidence(first.id, token);
    const handOver = { kind: 'handed_over', to: { name: 'Malkhana in-charge' } };

    await expectProblem(await post(`/v1/cases/${first.id}/evidence/${crypto.randomUUID()}/custody`, token, handOver), 404, 'not_found');
    await expectProblem(await post(`/v1/cases/${second.id}/evidence/${item.id}/custody`, token, handOver), 404, 'not_found');
    await expectProblem(await post(`/v1/cases/${crypto.randomUUID()}/evidence/${item.id}/custody`, token, handOver), 404, 'not_found');
    await expectProblem(await post(`/v1/cases/${first.id}/evidence/${item.id}/custody`, await officerAt(other), handOver), 404, 'not_found');

    const { item: now } = await readEvidence(first.id, item.id, token);
    expect(now).toMatchObject({ version: 1, custodian: item.custodian });
    expect(now.custody).toHaveLength(1);
    expect(await listEvidence(second.id, token)).toEqual([]);
  });

  it('lets the station that held the case read the trail but not add to it (403 not_case_holder)', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const item = await addEvidence(reported.id, token);
    await transferToCyberStation(tenant, reported.id);

    const handOver = { kind: 'handed_over', to: { name: 'Malkhana in-charge' } };
    await expectProblem(await post(`/v1/cases/${reported.id}/evidence/${item.id}/custody`, token, handOver), 403, 'not_case_holder');
    expect((await readEvidence(reported.id, item.id, token)).item).toEqual(item);
    expect((await listEvidence(reported.id, token)).map((listed) => listed.id)).toEqual([item.id]);

    const cyber = await officerAt(tenant, tenant.stationCodes[3]);
    await recordCustody(reported.id, item.id, cyber, handOver);
    const { item: now } = await readEvidence(reported.id, item.id, token);
    expect(now.custody.map((event) => event.kind)).toEqual(['captured', 'handed_over']);
    await expectProblem(await post(`/v1/cases/${reported.id}/evidence/${item.id}/custody`, await tokenFor.auditor(tenant.unitCode), handOver), 403, 'forbidden');
  });

  it('records one link for a retried hand-over under the same Idempotency-Key', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const item = await addEvidence(reported.id, token);
    const path = `/v1/cases/${reported.id}/evidence/${item.id}/custody`;
    const headers = { 'Idempotency-Key': crypto.randomUUID() };
    const body = { kind: 'handed_over', to: { name: 'Malkhana in-charge' } };
    const first = await parseResponse(recordCustodyRoute, 201, await post(path, token, body, headers));
    const retry = await parseResponse(recordCustodyRoute, 201, await post(path, token, body, headers));
    expect(retry).toEqual(first);
    const { item: now } = await readEvidence(reported.id, item.id, token);
    expect(now.custody.map((event) => event.id)).toEqual([item.custody[0]!.id, first.event.id]);
    expect(now.version).toBe(2);
  });

  it('puts each capture and custody link on the case timeline with the hash and verdict', async () => {
    const tenant = await createTestTenant();
    const token = await officerAt(tenant);
    const reported = await reportTestCase(tenant);
    const item = await addEvidence(reported.id, token, screenshot({ sha256: HELLO_SHA256 }));
    const handedOver = await recordCustody(reported.id, item.id, token, { kind: 'handed_over', to: { name: 'Malkhana in-charge' } });
    const mismatch = await recordCustody(reported.id, item.id, token, { kind: 'reverified', sha256: ABC_SHA256 });

    const timeline = await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${reported.id}/timeline`, { token }));
    expect(timeline.data.map(({ action, target, changes }) => ({ action, target, changes }))).toEqual([
      expect.objectContaining({ action: 'case.reported' }),
      { action: 'case.checklist_changed', target: { type: 'case', id: reported.id }, changes: expect.objectContaining({ 'preserve-evidence': 'added' }) },
      {
        action: 'evidence.captured',
        target: { type: 'evidence', id: item.id },
        changes: { kind: 'screenshot', sha256: HELLO_SHA256, hashOrigin: 'supplied', capturedAt: CAPTURED_AT, capturedBy: item.capturedBy },
      },
      {
        action: 'evidence.handed_over',
        target: { type: 'evidence', id: item.id },
        changes: { custodyEventId: handedOver.event.id, to: { name: 'Malkhana in-charge' }, sha256: null, matches: null, integrity: 'intact' },
      },
      {
        action: 'evidence.reverified',
        target: { type: 'evidence', id: item.id },
        changes: { custodyEventId: mismatch.event.id, to: null, sha256: ABC_SHA256, matches: false, integrity: 'mismatch' },
      },
    ]);
  });
});
