import { afterEach, describe, expect, it } from 'vitest';
import { createSopClient } from '../src/index.js';
import { problem, startStandIn, type Answer, type ReceivedRequest } from './stand-in.js';

let standIn: Awaited<ReturnType<typeof startStandIn>> | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

/** One case whose version moves with each change, as the API's ETag "v<version>". */
async function caseStandIn() {
  let version = 3;
  return startStandIn((request: ReceivedRequest): Answer => {
    const current = `"v${version}"`;
    if (request.method === 'POST' && request.path === '/v1/cases') return { status: 201, headers: { ETag: '"v1"', Location: '/v1/cases/new-case' }, body: { id: 'new-case', version: 1 } };
    if (request.method === 'POST' && request.path.endsWith('/evidence')) return { status: 201, headers: { ETag: '"v1"', Location: '/v1/cases/c1/evidence/e1' }, body: { id: 'e1' } };
    if (request.method === 'GET') return { status: 200, headers: { ETag: current }, body: { id: 'c1', version } };
    const ifMatch = request.headers['if-match'];
    if (request.method !== 'POST' && !ifMatch) return { status: 428, body: problem(428, 'precondition_required') };
    if (ifMatch && ifMatch !== current) return { status: 412, body: problem(412, 'precondition_failed') };
    version += 1;
    return { status: 200, headers: { ETag: `"v${version}"` }, body: { id: 'c1', version } };
  });
}

const sentIfMatch = (method: string) => standIn!.received.filter((request) => request.method === method).map((request) => request.headers['if-match']);

describe('ETag and If-Match', () => {
  it('sends the ETag of the last read or change of the object as If-Match where the contract requires it', async () => {
    standIn = await caseStandIn();
    const client = createSopClient({ baseUrl: standIn.url, accessToken: 't' });
    const params = { params: { path: { caseId: 'c1' } } };
    await client.GET('/v1/cases/{caseId}', params);
    expect((await client.PATCH('/v1/cases/{caseId}', { ...params, body: { narrative: 'first' } })).response.status).toBe(200);
    // The assignment acts on the case too, so it sends the ETag the update answered.
    expect((await client.PUT('/v1/cases/{caseId}/assignee', { ...params, body: { subject: 'psi.more', name: 'PSI More' } })).response.status).toBe(200);
    // A transition takes If-Match optionally: none is sent, and its answer's ETag is remembered.
    await client.POST('/v1/cases/{caseId}/transitions', { ...params, body: { to: 'triaged' } });
    // Evidence is another object: its ETag is kept under its Location, not the case's.
    await client.POST('/v1/cases/{caseId}/evidence', { ...params, body: { kind: 'screenshot', description: 'd', content: 'aGVsbG8=', capturedAt: '2026-12-01T00:00:00Z' } });
    expect((await client.PATCH('/v1/cases/{caseId}', { ...params, body: { narrative: 'second' } })).response.status).toBe(200);

    expect(sentIfMatch('PATCH')).toEqual(['"v3"', '"v6"']);
    expect(sentIfMatch('PUT')).toEqual(['"v4"']);
    expect(sentIfMatch('POST')).toEqual([undefined, undefined]);
    expect(client.etags.get('/v1/cases/c1')).toBe('"v7"');
    expect(client.etags.get('/v1/cases/c1/evidence/e1')).toBe('"v1"');
  });

  it('remembers a created object under its Location, and keeps a caller’s own If-Match', async () => {
    standIn = await caseStandIn();
    const client = createSopClient({ baseUrl: standIn.url, accessToken: 't' });
    await client.POST('/v1/cases', { body: { complainant: { name: 'A', phone: '9812345610', relationToVictim: 'self' }, victim: { age: 20 }, incident: { firstContactAt: '2026-01-01T00:00:00Z', platforms: ['x'], channels: ['chat'], imagesCirculated: false } } });
    expect(client.etags.get('/v1/cases/new-case')).toBe('"v1"');
    await client.GET('/v1/cases/{caseId}', { params: { path: { caseId: 'c1' } } });
    const { response } = await client.PATCH('/v1/cases/{caseId}', { params: { path: { caseId: 'c1' }, header: { 'if-match': '*' } }, body: { narrative: 'mine' } });
    expect(sentIfMatch('PATCH')).toEqual(['*']);
    expect(response.status).toBe(412);
  });

  it('sends no If-Match for an object it has not seen (the API answers 428), and leaves a 412 to the caller', async () => {
    standIn = await caseStandIn();
    const client = createSopClient({ baseUrl: standIn.url, accessToken: 't' });
    const params = { params: { path: { caseId: 'c1' } } };
    expect((await client.PATCH('/v1/cases/{caseId}', { ...params, body: { narrative: 'blind' } })).response.status).toBe(428);
    client.etags.remember('/v1/cases/c1', '"v1"');
    expect((await client.PATCH('/v1/cases/{caseId}', { ...params, body: { narrative: 'stale' } })).response.status).toBe(412);
    expect(sentIfMatch('PATCH')).toEqual([undefined, '"v1"']);
    expect(standIn.received.filter((request) => request.method === 'GET')).toHaveLength(0);
    expect(client.etags.get('/v1/cases/c1')).toBe('"v1"');
  });
});
