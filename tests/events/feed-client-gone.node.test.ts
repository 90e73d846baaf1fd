import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundTripsOf, type BenchEnvironment } from '../../scripts/bench/setup.js';
import { startNodeEntry, type NodeEntry } from '../support/node-entry.js';

/**
 * A long poll of GET /v1/events stops reading the database once its client is gone (a station
 * tab closed mid-wait), instead of polling every second until its wait ends. On the Node entry,
 * whose requests abort when their connection closes; round trips counted by the local endpoint.
 */
describe('the event feed when its client goes away', () => {
  const tag = 'feed-client-gone';
  let env: BenchEnvironment;
  let node: NodeEntry;
  let base: string;

  beforeAll(async () => {
    node = await startNodeEntry(tag);
    ({ env, base } = node);
  }, 120_000);

  afterAll(async () => {
    await node?.close();
  });

  const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

  it('polls while the client waits, and not once after it left', async () => {
    const token = await env.token({ roles: ['duty_officer'], unit: 'MH', station: 'MH-PUNE-SHIVAJINAGAR' });
    const headers = { Authorization: `Bearer ${token}` };
    let cursor = '';
    for (;;) {
      const page = (await (await fetch(`${base}/v1/events?limit=500${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`, { headers })).json()) as { nextCursor: string; hasMore: boolean };
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    const before = await roundTripsOf(env.database, tag);
    const leaving = new AbortController();
    const waiting = fetch(`${base}/v1/events?after=${encodeURIComponent(cursor)}&wait=20s`, { headers, signal: leaving.signal }).catch((error: Error) => error);
    await pause(2_500);
    leaving.abort();
    expect(await waiting).toBeInstanceOf(Error);
    const whileWaiting = (await roundTripsOf(env.database, tag)) - before;
    expect(whileWaiting).toBeGreaterThanOrEqual(2);
    await pause(1_500);
    const settled = await roundTripsOf(env.database, tag);
    await pause(3_000);
    expect((await roundTripsOf(env.database, tag)) - settled).toBe(0);
  }, 60_000);
});
