import { describe, expect, it } from 'vitest';
import { caseAtStation, drafted, moved, requestsPath } from './support.js';
import { withRoundTrips } from './round-trips.js';

describe('database round trips of the platform request operations', () => {
  it('drafting takes two (the case\'s facts, then the draft); reading and listing one; every move one, sending with its step and checklist included', async () => {
    const { caseId, officer, sho } = await caseAtStation();
    const created = await withRoundTrips(requestsPath(caseId), officer, { method: 'POST', body: { platformKey: 'instagram', kind: 'takedown' } });
    expect(created).toMatchObject({ status: 201, roundTrips: { http: 2, webSocket: 0 } });
    const { id } = JSON.parse(created.body) as { id: string };
    expect((await withRoundTrips(requestsPath(caseId), officer)).roundTrips).toEqual({ http: 1, webSocket: 0 });
    expect((await withRoundTrips(`${requestsPath(caseId)}/${id}`, officer)).roundTrips).toEqual({ http: 1, webSocket: 0 });
    const approve = await withRoundTrips(`${requestsPath(caseId)}/${id}/transitions`, sho, { method: 'POST', body: { to: 'approved' } });
    expect(approve).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
    const send = await withRoundTrips(`${requestsPath(caseId)}/${id}/transitions`, officer, { method: 'POST', body: { to: 'sent' }, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    expect(send).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
    // A refused move takes a second look to say why.
    const refused = await withRoundTrips(`${requestsPath(caseId)}/${id}/transitions`, officer, { method: 'POST', body: { to: 'sent' } });
    expect(refused).toMatchObject({ status: 409, roundTrips: { http: 2, webSocket: 0 } });
  });

  it('a preservation request sent with its clock set: still one', async () => {
    const { caseId, officer } = await caseAtStation();
    const draft = await drafted(caseId, officer, { platformKey: 'whatsapp', kind: 'preservation' });
    await moved(caseId, draft.id, officer, { to: 'approved' });
    const send = await withRoundTrips(`${requestsPath(caseId)}/${draft.id}/transitions`, officer, { method: 'POST', body: { to: 'sent' } });
    expect(send.roundTrips).toEqual({ http: 1, webSocket: 0 });
    expect(JSON.parse(send.body)).toMatchObject({ status: 'sent', preservationUntil: expect.any(String), reminderAt: expect.any(String) });
  });
});
