import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { ownerConfig } from './config.js';

/**
 * Until every transaction that began before this call has ended. The feed shows an event only
 * once every transaction older than the one that wrote it has ended, and other files' transactions
 * run meanwhile: after it, each event written before the call is in the feed.
 */
export async function untilEarlierTransactionsEnd() {
  const owner = openHttpDatabase(ownerConfig());
  const { rows: [started] } = await owner.execute<{ next: string }>(sql`select pg_snapshot_xmax(pg_current_snapshot())::text as next`);
  for (let poll = 0; poll < 600; poll += 1) {
    const { rows: [now] } = await owner.execute<{ ended: boolean }>(
      sql`select (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint >= ${started!.next}::bigint as ended`,
    );
    if (now!.ended) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect.fail('a transaction older than the events to read never ended');
}
