import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../../src/db/client.js';
import { getCaseTimelineRoute } from '../../../src/routes/cases/get-case-timeline.js';
import { createPlatformRequestRoute } from '../../../src/routes/platform-requests/create-platform-request.js';
import { listPlatformRequestsRoute } from '../../../src/routes/platform-requests/list-platform-requests.js';
import { letterTime } from '../../../src/requests/letter.js';
import { api, expectProblem } from '../../support/api.js';
import { reportTestCase } from '../../support/cases.js';
import { ownerConfig } from '../../support/config.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { caseAtStation, drafted, draftRequest, readRequest, requestsPath } from './support.js';

async function listRequests(caseId: string, token: string, query = '') {
  return parseResponse(listPlatformRequestsRoute, 200, await api(`${requestsPath(caseId)}${query}`, { token }));
}

async function timelineOf(caseId: string, token: string) {
  return (await parseResponse(getCaseTimelineRoute, 200, await api(`/v1/cases/${caseId}/timeline?limit=200`, { token }))).data;
}

describe('drafting a request to a platform: POST /v1/cases/{caseId}/requests', () => {
  it('drafts a takedown to Instagram whose letter names the case\'s facts, the SOP step\'s legal sections and the officer', async () => {
    const { caseId, reportedAt, officer, tenant } = await caseAtStation();
    const response = await draftRequest(caseId, officer, { platformKey: 'instagram', kind: 'takedown' });
    expect(response.headers.get('etag')).toBe('"v1"');
    const request = await parseResponse(createPlatformRequestRoute, 201, response);
    expect(request).toMatchObject({
      caseId,
      platformKey: 'instagram',
      kind: 'takedown',
      status: 'draft',
      allowedTransitions: ['approved'],
      sopStepKey: null,
      legalSections: ['IT-RULES-2021-3-1-D', 'IT-RULES-2021-3-2-B', 'IT-ACT-66E'],
      approvedBy: null,
      sentAt: null,
      preservationUntil: null,
      reminderAt: null,
      createdBy: 'psi.patil',
      version: 1,
    });
    expect(request.transitions).toEqual([{ status: 'draft', at: request.createdAt, by: 'psi.patil' }]);
    const { letter } = request;
    expect(letter).toContain('To: Instagram (Meta)');
    expect(letter).toContain(`case ${caseId}`);
    expect(letter).toContain(`registered at ${tenant.stationCodes[0]} on ${letterTime(reportedAt)}`);
    expect(letter).toContain('IT-RULES-2021-3-2-B (Removal of intimate images on a complaint by or for the person shown); IT-ACT-66E (Violation of privacy)');
    expect(letter).toContain('- Instagram username: @priya.sharma_22');
    // Only what concerns Instagram: not the phone number (WhatsApp's) nor the UPI address (the bank's).
    expect(letter).not.toContain('+917000012345');
    expect(letter).not.toContain('quickcash@ybl');
    expect(letter).toContain('psi.patil, Investigating Officer, ' + tenant.stationCodes[0]);
    expect(letter).not.toMatch(/\{\{/);
    // The victim is never named in a letter.
    expect(letter).not.toContain('Rohan');
    expect(await readRequest(caseId, request.id, await tokenFor.auditor(tenant.unitCode))).toEqual(request);
  });

  it('names the money trail in a payment hold to the banks, and the assigned officer by name', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    const assigned = await api(`/v1/cases/${caseId}/assignee`, { method: 'PUT', token: sho, headers: { 'If-Match': '*' }, body: { subject: 'psi.patil', name: 'PSI A. Patil' } });
    expect(assigned.status).toBe(200);
    const request = await drafted(caseId, officer, { platformKey: 'banks', kind: 'payment_hold' });
    expect(request.legalSections).toEqual(['BNSS-106', 'BNSS-107']);
    expect(request.letter).toContain('- UPI address: quickcash@ybl');
    const { payments } = (await (await api(`/v1/cases/${caseId}`, { token: officer })).json()) as { payments: Array<{ paidAt: string }> };
    expect(request.letter).toContain(`- Payment: INR 5000.00 by upi on ${letterTime(payments[0]!.paidAt)} to quickcash@ybl, UTR/reference 433112345678`);
    expect(request.letter).not.toContain('rohan@okhdfc');
    expect(request.letter).not.toContain('priya.sharma_22');
    expect(request.letter).toContain('PSI A. Patil, Investigating Officer');
  });

  it('cites the sections the officer names instead of the step\'s, and ties the request to the step named', async () => {
    const { caseId, officer } = await caseAtStation();
    const request = await drafted(caseId, officer, { platformKey: 'whatsapp', kind: 'preservation', sopStepKey: 'platform-preservation.whatsapp', legalSections: ['BNSS-94', 'IT-ACT-67A'] });
    expect(request).toMatchObject({ sopStepKey: 'platform-preservation.whatsapp', legalSections: ['BNSS-94', 'IT-ACT-67A'] });
    expect(request.letter).toContain('Under BNSS-94 (Summons to produce a document or thing); IT-ACT-67A (Publishing sexually explicit material), please preserve for 90 days');
    expect(request.letter).toContain('- Phone number: +917000012345');
  });

  it('uses the unit\'s own directory entry and letter template over the shipped ones, leaving an unknown placeholder visible', async () => {
    const { caseId, officer, tenant, admin } = await caseAtStation();
    const put = await api(`/v1/units/${tenant.unitCode}/platforms/instagram`, {
      method: 'PUT',
      token: admin,
      body: { name: 'Instagram (Meta) — state desk', category: 'social', preservationDays: 30 },
    });
    expect(put.status).toBe(201);
    const owner = openHttpDatabase(ownerConfig());
    await owner.execute(sql`insert into letter_templates (unit_id, request_kind, body)
      select id, 'preservation', 'To {{platform.name}}: keep {{platform.preservationDays}} days. Ref {{case.reference}}. {{signature}}' from units where code = ${tenant.unitCode}`);
    const request = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation' });
    expect(request.letter).toBe(`To Instagram (Meta) — state desk: keep 30 days. Ref ${caseId}. {{signature}}`);
    // Another unit still gets the shipped ones.
    const other = await caseAtStation();
    expect((await drafted(other.caseId, other.officer, { platformKey: 'instagram', kind: 'preservation' })).letter).toContain('To: Instagram (Meta)\n');
  });

  it('refuses a platform that is not in the unit\'s directory, and legal sections or steps that do not exist, pointing at the field (422)', async () => {
    const { caseId, officer } = await caseAtStation();
    const unknownPlatform = await expectProblem(await draftRequest(caseId, officer, { platformKey: 'myspace', kind: 'takedown' }), 422, 'unknown_platform');
    expect(unknownPlatform.errors).toEqual([{ pointer: '/body/platformKey', detail: expect.stringContaining('myspace') }]);
    const unknownSection = await expectProblem(await draftRequest(caseId, officer, { platformKey: 'x', kind: 'takedown', legalSections: ['IT-ACT-66E', 'IPC-420'] }), 422, 'invalid_reference');
    expect(unknownSection.errors).toEqual([{ pointer: '/body/legalSections/1', detail: expect.stringContaining('IPC-420') }]);
    const unknownStep = await expectProblem(await draftRequest(caseId, officer, { platformKey: 'x', kind: 'takedown', sopStepKey: 'no-such-step' }), 422, 'invalid_reference');
    expect(unknownStep.errors).toEqual([{ pointer: '/body/sopStepKey', detail: 'the case has no SOP step no-such-step' }]);
    const otherKind = await expectProblem(await draftRequest(caseId, officer, { platformKey: 'instagram', kind: 'takedown', sopStepKey: 'platform-preservation.instagram' }), 422, 'invalid_reference');
    expect(otherKind.errors?.[0]?.detail).toBe('step platform-preservation.instagram is completed by a preservation request, not takedown');
    const otherPlatform = await expectProblem(await draftRequest(caseId, officer, { platformKey: 'x', kind: 'preservation', sopStepKey: 'platform-preservation.instagram' }), 422, 'invalid_reference');
    expect(otherPlatform.errors).toEqual([{ pointer: '/body/sopStepKey', detail: 'step platform-preservation.instagram is for instagram, not x' }]);
    const malformed = await expectProblem(await draftRequest(caseId, officer, { platformKey: 'Instagram', kind: 'complaint', extra: true }), 400, 'validation_failed');
    expect(malformed.errors?.map((error) => error.pointer).sort()).toEqual(['/body', '/body/kind', '/body/platformKey']);
    expect((await listRequests(caseId, officer)).data).toEqual([]);
  });

  it('lets only the case\'s holder draft: 404 elsewhere, 403 to a station that held it, to readers and to a closed case (409)', async () => {
    const { caseId, officer, tenant, sho } = await caseAtStation();
    const body = { platformKey: 'instagram', kind: 'takedown' };
    await expectProblem(await draftRequest(caseId, await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]), body), 404, 'not_found');
    const otherUnit = await createTestTenant();
    await expectProblem(await draftRequest(caseId, await tokenFor.station(otherUnit.unitCode, otherUnit.stationCodes[0]), body), 404, 'not_found');
    await expectProblem(await draftRequest(caseId, await tokenFor.auditor(tenant.unitCode), body), 403, 'forbidden');
    await expectProblem(await draftRequest(caseId, await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), body), 403, 'forbidden');
    await expectProblem(await api(requestsPath(caseId), { method: 'POST', body, headers: { Authorization: 'Bearer nope' } }), 401, 'unauthorized');

    const transferred = await api(`/v1/cases/${caseId}/transfer`, { method: 'POST', token: sho, body: { toStationCode: tenant.stationCodes[3], reason: 'Minor victim' } });
    expect(transferred.status).toBe(200);
    await expectProblem(await draftRequest(caseId, officer, body), 403, 'not_case_holder');
    const cyber = await tokenFor.station(tenant.unitCode, tenant.stationCodes[3]);
    expect((await drafted(caseId, cyber, body)).status).toBe('draft');

    const closed = await reportTestCase(tenant);
    const closing = await api(`/v1/cases/${closed.id}/transitions`, { method: 'POST', token: sho, body: { to: 'closed', closureReason: 'duplicate' } });
    expect(closing.status).toBe(200);
    await expectProblem(await draftRequest(closed.id, officer, body), 409, 'case_closed');
  });

  it('drafts once under an Idempotency-Key, with one audit event on the case\'s timeline carrying the letter\'s hash', async () => {
    const { caseId, officer } = await caseAtStation();
    const headers = { 'Idempotency-Key': crypto.randomUUID() };
    const body = { platformKey: 'whatsapp', kind: 'preservation' };
    const first = await drafted(caseId, officer, body);
    const [again, retried] = await Promise.all([draftRequest(caseId, officer, body, headers), draftRequest(caseId, officer, body, headers)]);
    const statuses = [again.status, retried.status].sort();
    expect(statuses[0]).toBe(201);
    const retry = await draftRequest(caseId, officer, body, headers);
    expect(retry.status).toBe(201);
    const replayed = (await retry.json()) as { id: string };
    expect((await listRequests(caseId, officer)).data.map((request) => request.id)).toEqual([first.id, replayed.id]);
    await expectProblem(await draftRequest(caseId, officer, { ...body, kind: 'takedown' }, headers), 422, 'idempotency_key_reused');

    const drafts = (await timelineOf(caseId, officer)).filter((entry) => entry.action === 'platform_request.drafted');
    expect(drafts.map((entry) => entry.target.id)).toEqual([first.id, replayed.id]);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(first.letter));
    const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(drafts[0]!.changes).toEqual({
      platformKey: 'whatsapp',
      kind: 'preservation',
      sopStepKey: null,
      extendsRequestId: null,
      legalSections: ['IT-RULES-2021-3-1-G', 'BNSS-94'],
      letterSha256: hex,
    });
    expect(drafts[0]!.actor.subject).toBe('psi.patil');
  });
});

describe('reading a case\'s requests: GET /v1/cases/{caseId}/requests[/{requestId}]', () => {
  it('lists them oldest first in pages, filtered by status or kind, to whoever may read the case', async () => {
    const { caseId, officer, tenant, sho } = await caseAtStation();
    const takedown = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'takedown' });
    const preservation = await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation' });
    const hold = await drafted(caseId, officer, { platformKey: 'payment-apps', kind: 'payment_hold' });
    await api(`${requestsPath(caseId)}/${preservation.id}/transitions`, { method: 'POST', token: officer, body: { to: 'approved' } });

    const first = await listRequests(caseId, officer, '?limit=2');
    expect(first.data.map((request) => request.id)).toEqual([takedown.id, preservation.id]);
    expect(first.pagination.hasMore).toBe(true);
    const second = await listRequests(caseId, officer, `?limit=2&cursor=${first.pagination.nextCursor}`);
    expect(second.data.map((request) => request.id)).toEqual([hold.id]);
    expect(second.pagination).toEqual({ nextCursor: null, hasMore: false });

    expect((await listRequests(caseId, sho, '?status=approved')).data.map((request) => request.id)).toEqual([preservation.id]);
    expect((await listRequests(caseId, await tokenFor.auditor(tenant.unitCode), '?kind=payment_hold')).data.map((request) => request.id)).toEqual([hold.id]);
    expect((await listRequests(caseId, await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), '?status=sent')).data).toEqual([]);
    await expectProblem(await api(`${requestsPath(caseId)}?status=lost`, { token: officer }), 400, 'validation_failed');
    await expectProblem(await api(`${requestsPath(caseId)}?cursor=garbage`, { token: officer }), 400, 'invalid_cursor');
  });

  it('answers 404 for a case or request the caller cannot see, or a request asked for under another case', async () => {
    const { caseId, officer, tenant } = await caseAtStation();
    const request = await drafted(caseId, officer, { platformKey: 'x', kind: 'takedown' });
    const otherStation = await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]);
    const otherDistrict = await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]);
    const otherUnit = await createTestTenant();
    for (const token of [otherStation, otherDistrict, await tokenFor.unit(otherUnit.unitCode)]) {
      await expectProblem(await api(requestsPath(caseId), { token }), 404, 'not_found');
      await expectProblem(await api(`${requestsPath(caseId)}/${request.id}`, { token }), 404, 'not_found');
    }
    const another = await reportTestCase(tenant);
    await expectProblem(await api(`${requestsPath(another.id)}/${request.id}`, { token: officer }), 404, 'not_found');
    await expectProblem(await api(`${requestsPath(caseId)}/${crypto.randomUUID()}`, { token: officer }), 404, 'not_found');
    await expectProblem(await api(requestsPath(caseId), { token: await tokenFor.client(tenant.unitCode, []) }), 403, 'forbidden');
    await expectProblem(await api(requestsPath(caseId), { token: await tokenFor.platform() }), 403, 'forbidden');
  });

  it('answers a retry with the first draft even after the case has moved to another station', async () => {
    const { tenant, caseId, officer, sho } = await caseAtStation();
    const headers = { 'Idempotency-Key': crypto.randomUUID() };
    const body = { platformKey: 'instagram', kind: 'takedown' };
    const first = await draftRequest(caseId, officer, body, headers);
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const transfer = await api(`/v1/cases/${caseId}/transfer`, { method: 'POST', token: sho, body: { toStationCode: tenant.stationCodes[3], reason: 'To the cyber police station' } });
    expect(transfer.status).toBe(200);

    const retry = await draftRequest(caseId, officer, body, headers);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(firstBody);
    // Without the key, the station that no longer holds the case may not draft.
    expect((await draftRequest(caseId, officer, body)).status).toBe(403);
  });
});

