import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../src/events/catalogue.js';
import type { EventEnvelope } from '../../src/events/event-envelope.js';
import { startWebhookReceiver, type ReceivedDelivery } from '../webhooks/webhook-receiver.js';
import { signInAsDemoOfficer, type SignInOption } from './demo-sign-in.js';
import { startNpmStart, type RunningNpmStart } from './npm-start.js';

/**
 * Issue #13: under the real `npm start`, with nothing done by hand, a case whose step is overdue
 * at intake escalates within two minutes, and its step.escalated event reaches a subscribed
 * receiver (signed, verified with the standardwebhooks library) and the pull feed. The minute
 * sweep is npm start's own; this file never calls the scheduled handler. Issue #16: the same
 * npm start serves the station app at /app and signs a demo officer in through the demo unit's
 * own OpenID provider, which it started and registered.
 */
const station = 'MH-PUNE-SHIVAJINAGAR';
/** The issue's two minutes, with room for a sweep that starts just after the turn of a minute. */
const escalationWaitMs = 150_000;

let api: RunningNpmStart;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let unitAdmin: string;
let officer: string;

async function call(path: string, token: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${api.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function deliveriesTo(name: string): Promise<ReceivedDelivery[]> {
  const response = await fetch(`${receiver.url}/receivers/${name}/deliveries`);
  return (await response.json()) as ReceivedDelivery[];
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  api = await startNpmStart();
  // As the README's walk tells a newcomer to.
  unitAdmin = await api.token(['--unit', 'MH', '--role', 'unit_admin']);
  officer = await api.token(['--unit', 'MH', '--station', station, '--role', 'duty_officer']);
}, 240_000);

afterAll(async () => {
  await api?.stop();
  await receiver?.close();
}, 60_000);

describe('npm start: an overdue step escalates and its event is pushed and in the feed', () => {
  it('delivers step.escalated of a case overdue at intake to a loopback receiver, signed, and the feed has the same event', async () => {
    const subscribed = await call('/v1/units/MH/webhooks', unitAdmin, {
      method: 'POST',
      body: { url: `${receiver.url}/hooks/e2e/ok`, scope: { level: 'unit' }, eventTypes: ['step.escalated', 'case.reported'] },
    });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
    const secret = subscribed.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    await fetch(`${receiver.url}/receivers/e2e`, { method: 'PUT', body: JSON.stringify({ secret, now: new Date().toISOString() }) });

    // Paid two hours ago: report-1930 (due an hour after the payment, escalating at once) is overdue at intake.
    const reported = await call('/v1/cases', officer, {
      method: 'POST',
      headers: { 'Idempotency-Key': crypto.randomUUID() },
      body: {
        complainant: { name: 'End-to-end complainant', phone: '98123 45610', relationToVictim: 'self' },
        victim: { age: 24 },
        incident: { firstContactAt: hoursAgo(3), platforms: ['instagram'], channels: ['video_call'], imagesCirculated: false, amountDemanded: '25000' },
        payments: [{ amount: '5000', paidAt: hoursAgo(2), method: 'upi', payee: { kind: 'upi', value: 'e2e.payee@ybl' } }],
      },
    });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const reportedAtMs = Date.now();
    const caseId = reported.body.id as string;
    const checklist = await call(`/v1/cases/${caseId}/sop`, officer);
    expect(JSON.stringify(checklist.body)).toContain('report-1930');

    // Other steps may be overdue at intake too: the one this case is about is report-1930.
    const ofThisCase = (deliveries: ReceivedDelivery[], type: string) =>
      deliveries.filter((delivery) => {
        const envelope = JSON.parse(delivery.body) as EventEnvelope;
        return envelope.type === type && envelope.caseId === caseId && (type !== 'step.escalated' || envelope.data.stepKey === 'report-1930');
      });
    const deadline = Date.now() + escalationWaitMs;
    let escalated: ReceivedDelivery[] = [];
    let reportedPushes: ReceivedDelivery[] = [];
    while (Date.now() < deadline) {
      const deliveries = await deliveriesTo('e2e');
      escalated = ofThisCase(deliveries, 'step.escalated');
      reportedPushes = ofThisCase(deliveries, 'case.reported');
      if (escalated.length > 0 && reportedPushes.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    expect(reportedPushes.length, `case.reported of ${caseId} was not pushed\n${api.output()}`).toBeGreaterThan(0);
    expect(escalated.length, `no step.escalated of ${caseId} reached the receiver within ${escalationWaitMs / 1000} s\n${api.output()}`).toBeGreaterThan(0);

    const pushed = escalated[0]!;
    const envelope = JSON.parse(pushed.body) as EventEnvelope;
    expect(pushed.verificationError).toBeNull();
    expect(pushed.webhookId).toBe(envelope.id);
    expect(pushed.contentType).toMatch(/^application\/json/);
    expect(envelope.caseId).toBe(caseId);
    const data = eventCatalogue['step.escalated'].data.parse(envelope.data);
    expect(data.caseId).toBe(caseId);
    expect(data.stepKey).toBe('report-1930');
    expect(data.level).toBeGreaterThanOrEqual(1);
    console.log(`step.escalated of the case reached the receiver ${Math.round((pushed.receivedAtMs - reportedAtMs) / 1000)} s after its intake`);

    // The same event, read from the pull feed by the station's officer.
    const feed: EventEnvelope[] = [];
    let after = '';
    for (;;) {
      const page = await call(`/v1/events?types=step.escalated&limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`, officer);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      feed.push(...(page.body.data as EventEnvelope[]));
      if (!page.body.hasMore) break;
      after = page.body.nextCursor as string;
    }
    expect(feed.find((event) => event.id === envelope.id)).toEqual(envelope);
  }, escalationWaitMs + 60_000);
});

describe('npm start: the station app and its sign-in', () => {
  it('serves /app/ from the Worker\'s static assets, under its policy', async () => {
    const page = await fetch(`${api.base}/app/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('signs a demo officer of Maharashtra in through the registered provider, and the API knows them', async () => {
    let option: SignInOption | undefined;
    for (const deadline = Date.now() + 30_000; !option && Date.now() < deadline; ) {
      const listed = (await (await fetch(`${api.base}/v1/sign-in`)).json()) as { data: SignInOption[] };
      option = listed.data.find((entry) => entry.unitCode === 'MH');
      if (!option) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(option, `no sign-in for MH\n${api.output()}`).toBeDefined();
    const { offered, accessToken } = await signInAsDemoOfficer(option!, `${api.base}/app/`, 'demo-duty-officer-shivajinagar');
    expect(offered).toContain('demo-dcp-pune');
    const me = await call('/v1/me', accessToken);
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body).toMatchObject({ issuer: option!.issuer, subject: 'demo-duty-officer-shivajinagar', roles: ['duty_officer'], unitCode: 'MH', stationCode: station });
    expect((await call(`/v1/stations/${station}/due`, accessToken)).status).toBe(200);
  });
});
