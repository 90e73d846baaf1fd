import { startNpmStart } from '../../tests/e2e/npm-start.js';
import { startWebhookReceiver, type ReceivedDelivery } from '../../tests/webhooks/webhook-receiver.js';
import { percentile } from './setup.js';

/** Issue #13's target for the time from a write's commit to its event's arrival at a receiver. */
export const deliveryTargetP50Ms = 2_000;

export interface LatencyFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface DeliveryBench {
  where: string;
  commitToDelivery: LatencyFigures & { targetP50Ms: number; meetsTarget: boolean; missing: number };
  /** The intake's own latency; under backlog: while the deliveries of earlier writes are still going out. */
  requestLatency: { withoutSubscriptions: LatencyFigures; with100Subscriptions: LatencyFigures; p50DifferenceMs: number; with100SubscriptionsUnderBacklog: LatencyFigures };
  /** From an intake's response to the last of its 100 deliveries' arrival; deliveries that had not arrived 20 s after. */
  fanOut: { subscriptions: number; commitToLastOf100: LatencyFigures; undelivered: number };
}

const station = 'MH-PUNE-SHIVAJINAGAR';
const pauseBetweenWritesMs = 100;

function figures(values: number[]): LatencyFigures {
  const round = (value: number) => Math.round(value);
  return { samples: values.length, p50Ms: round(percentile(values, 50)), p99Ms: round(percentile(values, 99)), maxMs: round(Math.max(...values)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Under the real `npm start` (wrangler dev, miniflare's queue with wrangler.toml's batching):
 * case intakes, each answered once its transaction committed, and (1) with one subscription to a
 * loopback receiver, the time from each intake's response to its case.reported delivery's arrival;
 * (2) each intake's own latency with no subscription in the unit and with 100 of them: fan-out runs
 * after the response (waitUntil, then the queue consumer), so it should add nothing there; and,
 * for what it costs the machine, the same writes while earlier writes' deliveries still go out.
 */
export async function benchDelivery({ events, log }: { events: number; log: (line: string) => void }): Promise<DeliveryBench> {
  const receiver = await startWebhookReceiver();
  const api = await startNpmStart();
  try {
    const admin = await api.token(['--unit', 'MH', '--role', 'unit_admin']);
    const officer = await api.token(['--unit', 'MH', '--station', station, '--role', 'duty_officer', '--sub', 'bench-delivery-officer']);
    const post = async (path: string, token: string, body: unknown) => {
      const response = await fetch(`${api.base}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 400) throw new Error(`POST ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const subscribe = async (name: string) => {
      const { secret } = await post('/v1/units/MH/webhooks', admin, { url: `${receiver.url}/hooks/${name}/ok`, scope: { level: 'unit' }, eventTypes: ['case.reported'] });
      await fetch(`${receiver.url}/receivers/${name}`, { method: 'PUT', body: JSON.stringify({ secret, now: new Date().toISOString() }) });
    };
    const deliveriesTo = async (name: string) => (await (await fetch(`${receiver.url}/receivers/${name}/deliveries`)).json()) as ReceivedDelivery[];
    const intake = () => ({
      complainant: { name: 'Bench complainant', phone: '9812345610', relationToVictim: 'self' },
      victim: { age: 24 },
      incident: { firstContactAt: new Date(Date.now() - 3_600_000).toISOString(), platforms: ['instagram'], channels: ['video_call'], imagesCirculated: false },
    });
    /** One intake: its id, and when its response (the commit) came, in this process's epoch milliseconds. */
    const report = async () => {
      const started = performance.now();
      const { id } = await post('/v1/cases', officer, intake());
      return { caseId: id as string, durationMs: performance.now() - started, answeredAtMs: Date.now() };
    };
    const timedIntakes = async (count: number) => {
      const results = [];
      for (let index = 0; index < count; index += 1) {
        results.push(await report());
        await sleep(pauseBetweenWritesMs);
      }
      return results;
    };

    const writes = Math.max(20, Math.round(events / 2));
    const fanOutWrites = 20;
    log(`  warming up, then ${writes} intakes with no subscription in the unit`);
    await timedIntakes(5);
    const withoutSubscriptions = figures((await timedIntakes(writes)).map((result) => result.durationMs));

    log(`  one subscription to a loopback receiver: ${events} intakes, commit to arrival`);
    await subscribe('latency');
    const measured = await timedIntakes(events);
    const wanted = new Set(measured.map((result) => result.caseId));
    const drainUntil = Date.now() + 30_000;
    let arrived: ReceivedDelivery[] = [];
    while (Date.now() < drainUntil) {
      arrived = (await deliveriesTo('latency')).filter((delivery) => delivery.verificationError === null && wanted.has(JSON.parse(delivery.body).caseId));
      if (new Set(arrived.map((delivery) => JSON.parse(delivery.body).caseId)).size === wanted.size) break;
      await sleep(500);
    }
    const firstArrival = new Map<string, number>();
    for (const delivery of arrived) {
      const caseId = JSON.parse(delivery.body).caseId as string;
      firstArrival.set(caseId, Math.min(firstArrival.get(caseId) ?? Infinity, delivery.receivedAtMs));
    }
    const commitToArrival = measured.filter((result) => firstArrival.has(result.caseId)).map((result) => firstArrival.get(result.caseId)! - result.answeredAtMs);
    const commitToDelivery = figures(commitToArrival);

    const fanOutSubscriptions = 100;
    log(`  ${fanOutSubscriptions - 1} more subscriptions (${fanOutSubscriptions} in the unit)`);
    const fanOutNames = Array.from({ length: fanOutSubscriptions - 1 }, (_, index) => `fan-${index}`);
    for (const name of fanOutNames) await subscribe(name);
    const receiverNames = [...fanOutNames, 'latency'];
    const arrivalsOf = async (caseId: string) =>
      (await Promise.all(receiverNames.map(async (name) => (await deliveriesTo(name)).filter((delivery) => JSON.parse(delivery.body).caseId === caseId)))).flat();

    // The write's own latency: each intake made when the previous one's 100 deliveries are all in, so no backlog shares the runtime and the database with it.
    log(`  ${fanOutWrites} intakes, each after the previous one's ${fanOutSubscriptions} deliveries arrived`);
    const isolated: number[] = [];
    const fanOutCompletion: number[] = [];
    let undelivered = 0;
    for (let index = 0; index < fanOutWrites; index += 1) {
      const written = await report();
      isolated.push(written.durationMs);
      const giveUpAt = Date.now() + 20_000;
      let arrivals: ReceivedDelivery[] = [];
      while (Date.now() < giveUpAt) {
        arrivals = await arrivalsOf(written.caseId);
        if (arrivals.length >= fanOutSubscriptions) break;
        await sleep(200);
      }
      if (arrivals.length >= fanOutSubscriptions) fanOutCompletion.push(Math.max(...arrivals.map((delivery) => delivery.receivedAtMs)) - written.answeredAtMs);
      else undelivered += fanOutSubscriptions - arrivals.length;
    }

    // And while the deliveries of a burst of writes are still going out: the runtime and the embedded database's one backend are shared.
    log(`  ${fanOutWrites} intakes in a row, ${fanOutWrites * fanOutSubscriptions} deliveries behind them`);
    const underBacklog = figures((await timedIntakes(fanOutWrites)).map((result) => result.durationMs));
    const with100Subscriptions = figures(isolated);
    const fanOut = figures(fanOutCompletion);

    return {
      where: 'npm start (wrangler dev, miniflare queue, embedded Postgres), receiver on loopback',
      commitToDelivery: { ...commitToDelivery, targetP50Ms: deliveryTargetP50Ms, meetsTarget: commitToDelivery.p50Ms <= deliveryTargetP50Ms, missing: wanted.size - firstArrival.size },
      requestLatency: { withoutSubscriptions, with100Subscriptions, p50DifferenceMs: with100Subscriptions.p50Ms - withoutSubscriptions.p50Ms, with100SubscriptionsUnderBacklog: underBacklog },
      fanOut: { subscriptions: fanOutSubscriptions, commitToLastOf100: fanOut, undelivered },
    };
  } finally {
    await api.stop();
    await receiver.close();
  }
}
