import { createSopClient, type SopClient } from '@sextortion-sop/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchEnvironment } from '../../scripts/bench/setup.js';
import { startNodeEntry, type NodeEntry } from '../support/node-entry.js';

/**
 * Issue #15: a full case through the typed client, as an integrating police IT system would run
 * it, against the running app (the Node entry on loopback, on an embedded database of its own,
 * migrated and seeded with the demo tenancy). The station's case register is a machine client
 * registered through the API; the station house officers act with their own bearer tokens.
 * Every call is the client's; only the tokens of people come from the test's identity provider.
 */
const station = 'MH-PUNE-SHIVAJINAGAR';
const cyberStation = 'MH-PUNE-CYBER';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

let env: BenchEnvironment;
let node: NodeEntry;
let baseUrl: string;
/** What each call put on the wire, as an integrator's own logging fetch would see it. */
const sent: { method: string; path: string; headers: Headers }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  sent.push({ method: request.method, path: new URL(request.url).pathname, headers: new Headers(request.headers) });
  return fetch(request);
};

beforeAll(async () => {
  node = await startNodeEntry('typed-client');
  ({ env, base: baseUrl } = node);
}, 180_000);

afterAll(async () => {
  await node?.close();
});

const officer = async (roles: string[], atStation: string) =>
  createSopClient({ baseUrl, accessToken: await env.token({ sub: `officer-${roles[0]}-${atStation}`, roles, unit: 'MH', station: atStation }), fetch: recordingFetch });

/** The answer's data, or a failure that shows the problem document. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${result.response.status} ${result.response.url}: ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('the typed client runs a full case against the running app', () => {
  it('intake → evidence → step → request approved and sent → transfer → close, with keys, tokens and ETags handled by the client', async () => {
    // The unit administrator registers the station's case register as a machine client.
    const administrator = createSopClient({ baseUrl, accessToken: await env.token({ sub: 'admin-mh', roles: ['unit_admin'], unit: 'MH' }) });
    const registered = ok(
      await administrator.POST('/v1/units/{unitCode}/clients', {
        params: { path: { unitCode: 'MH' } },
        body: { name: 'Shivajinagar case register', scopes: ['tenancy:read', 'cases:read', 'cases:report', 'cases:work', 'personal:read'], stationCode: station },
      }),
    );
    const register: SopClient = createSopClient({ baseUrl, clientCredentials: { clientId: registered.client.clientId, clientSecret: registered.clientSecret }, fetch: recordingFetch });
    const stationHouseOfficer = await officer(['station_house_officer'], station);
    const cyberInspector = await officer(['station_house_officer'], cyberStation);

    // Intake, by the machine client: its token is fetched on first use.
    const reported = ok(
      await register.POST('/v1/cases', {
        body: {
          complainant: { name: 'Sunita Deshmukh', phone: '98123 45610', relationToVictim: 'parent' },
          victim: { name: 'Rohan Deshmukh', age: 17 },
          incident: { firstContactAt: minutesAgo(180), platforms: ['instagram'], channels: ['video_call'], recordedMaterial: ['video_call_recording'], imagesCirculated: false, amountDemanded: '25000' },
          identifiers: [{ kind: 'url', value: 'https://www.instagram.com/priya.sharma_22/' }],
          payments: [{ amount: '5000', paidAt: minutesAgo(120), method: 'upi', payee: { kind: 'upi', value: 'QuickCash@YBL' } }],
        },
      }),
    );
    expect(reported).toMatchObject({ status: 'reported', station: { code: station } });
    const caseId = reported.id;
    const casePath = { path: { caseId } };

    const evidence = ok(
      await register.POST('/v1/cases/{caseId}/evidence', {
        params: casePath,
        body: { kind: 'screenshot', description: 'Threat message', content: 'aGVsbG8=', capturedAt: minutesAgo(30) },
      }),
    );
    expect(evidence.sha256).toMatch(/^[0-9a-f]{64}$/);

    // A step of the checklist completed by hand.
    const checklist = ok(await register.GET('/v1/cases/{caseId}/sop', { params: casePath }));
    const openStep = checklist.now.find((step) => step.status === 'pending' && !step.key.startsWith('platform-'));
    expect(openStep, JSON.stringify(checklist.now.map((step) => [step.key, step.status]))).toBeDefined();
    const completed = ok(await register.POST('/v1/cases/{caseId}/sop/steps/{stepKey}', { params: { path: { caseId, stepKey: openStep!.key } }, body: { outcome: 'done' } }));
    expect(completed).toMatchObject({ key: openStep!.key, status: 'done' });

    // An update: the client read the case, so it sends If-Match with the ETag it saw.
    ok(await register.GET('/v1/cases/{caseId}', { params: casePath }));
    const updated = ok(await register.PATCH('/v1/cases/{caseId}', { params: casePath, body: { narrative: 'Contacted on Instagram; a video call was recorded and ₹5,000 demanded.' } }));
    expect(updated.narrative).toContain('video call');

    // A takedown request: drafted by the register, approved by the station house officer, sent by the register.
    const draft = ok(await register.POST('/v1/cases/{caseId}/requests', { params: casePath, body: { platformKey: 'instagram', kind: 'takedown' } }));
    expect(draft.status).toBe('draft');
    const requestPath = { path: { caseId, requestId: draft.id } };
    ok(await stationHouseOfficer.POST('/v1/cases/{caseId}/requests/{requestId}/transitions', { params: requestPath, body: { to: 'approved' } }));
    const sentRequest = ok(await register.POST('/v1/cases/{caseId}/requests/{requestId}/transitions', { params: requestPath, body: { to: 'sent', externalReference: 'LE-2026-118842' } }));
    expect(sentRequest).toMatchObject({ status: 'sent' });

    // Transfer to the cyber police station, which assigns it (If-Match from its own read) and closes it.
    const transferred = ok(await stationHouseOfficer.POST('/v1/cases/{caseId}/transfer', { params: casePath, body: { toStationCode: cyberStation, reason: 'Organised extortion ring; needs the cyber PS' } }));
    expect(transferred).toMatchObject({ status: 'transferred', station: { code: cyberStation } });
    ok(await cyberInspector.GET('/v1/cases/{caseId}', { params: casePath }));
    const assigned = ok(await cyberInspector.PUT('/v1/cases/{caseId}/assignee', { params: casePath, body: { subject: 'psi.more', name: 'PSI S. More' } }));
    expect(assigned.assignedOfficer).toMatchObject({ subject: 'psi.more' });
    const closed = ok(
      await cyberInspector.POST('/v1/cases/{caseId}/transitions', { params: casePath, body: { to: 'closed', closureReason: 'resolved_content_removed', reason: 'Content removed; no further demands' } }),
    );
    expect(closed).toMatchObject({ status: 'closed', closure: { reason: 'resolved_content_removed' } });

    // What the client put on the wire: one token request, then the register's bearer token on every call;
    // an Idempotency-Key on each create and transition; If-Match on the update and the assignment.
    const tokenRequests = sent.filter((call) => call.path === '/v1/oauth/token');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.headers.get('Authorization')).toMatch(/^Basic /);
    const writes = sent.filter((call) => call.method === 'POST' && call.path.startsWith('/v1/cases'));
    expect(writes.length).toBeGreaterThanOrEqual(8);
    for (const write of writes) expect(write.headers.get('Idempotency-Key'), `${write.method} ${write.path}`).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(writes.map((write) => write.headers.get('Idempotency-Key'))).size).toBe(writes.length);
    const preconditioned = sent.filter((call) => call.method === 'PATCH' || call.method === 'PUT');
    expect(preconditioned.map((call) => [call.method, call.headers.get('If-Match')])).toEqual([
      ['PATCH', `"v${updated.version - 1}"`],
      ['PUT', `"v${assigned.version - 1}"`],
    ]);
  });
});
