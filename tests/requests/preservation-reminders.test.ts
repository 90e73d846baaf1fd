import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { remindExpiringPreservations } from '../../src/db/queries/platform-requests.js';
import { createTenantRunner } from '../../src/db/tenant-runner.js';
import { auditTrail } from '../support/audit.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { tokenFor } from '../support/tokens.js';
import { caseAtStation, drafted, moved, readRequest } from '../routes/platform-requests/support.js';

/*
 * The reminder sweep is global, like the escalation sweep: it runs as the app role without a
 * tenant and reaches every unit through a SECURITY DEFINER function. Assertions look only at
 * the test's own tenant; clocks far in the past pick this test's rows alone.
 */

/** One sweep batch as the minute job runs it: the app role, no tenant. */
async function sweepBatch(now: Date, limit = 500) {
  const [{ rows }] = await createTenantRunner(appConfig(), null).batch((db) => [remindExpiringPreservations(db, now, limit)]);
  return Number(rows[0]!.reminded);
}

/** The case's preservation reminders (its request and checklist events aside). */
async function integrationEvents(caseId: string) {
  const owner = openHttpDatabase(ownerConfig());
  const { rows } = await owner.execute<{ type: string; payload: Record<string, unknown>; occurredAt: string }>(sql`
    select type, payload, occurred_at as "occurredAt" from integration_events where case_id = ${caseId} and type = 'preservation.expiring' order by id`);
  return rows;
}

async function sentPreservation() {
  const context = await caseAtStation();
  const draft = await drafted(context.caseId, context.officer, { platformKey: 'instagram', kind: 'preservation' });
  await moved(context.caseId, draft.id, context.officer, { to: 'approved' });
  const sent = await moved(context.caseId, draft.id, context.officer, { to: 'sent', externalReference: 'META-LE-1' });
  return { ...context, request: sent };
}

describe('the preservation reminder sweep (remindExpiringPreservations, with the clock passed in)', () => {
  it('does nothing before the reminder is due', async () => {
    const { caseId, request, officer } = await sentPreservation();
    await sweepBatch(new Date(Date.parse(request.reminderAt!) - 60_000));
    expect((await readRequest(caseId, request.id, officer)).reminderAt).toBe(request.reminderAt);
    expect(await integrationEvents(caseId)).toEqual([]);
  });

  it('raises preservation.expiring with an audit event and clears the reminder, once however often it runs', async () => {
    const { caseId, request, officer, tenant } = await sentPreservation();
    const due = new Date(Date.parse(request.reminderAt!) + 60_000);
    await Promise.all([sweepBatch(due), sweepBatch(due)]);
    await sweepBatch(due);

    const after = await readRequest(caseId, request.id, officer);
    expect(after).toMatchObject({ reminderAt: null, preservationUntil: request.preservationUntil, status: 'sent', version: request.version + 1 });
    const events = await integrationEvents(caseId);
    expect(events).toEqual([
      {
        type: 'preservation.expiring',
        occurredAt: expect.any(String),
        payload: {
          requestId: request.id,
          platformKey: 'instagram',
          kind: 'preservation',
          status: 'sent',
          sentAt: expect.any(String),
          preservationUntil: expect.any(String),
          externalReference: 'META-LE-1',
        },
      },
    ]);
    expect(new Date(events[0]!.payload.preservationUntil as string).toISOString()).toBe(request.preservationUntil);
    expect(new Date(events[0]!.occurredAt).toISOString()).toBe(due.toISOString());

    const audited = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.action === 'platform_request.preservation_expiring');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ target: { type: 'platform_request', id: request.id }, actor: { issuer: 'urn:sextortion-sop-api:scheduler', subject: 'preservation-reminder-sweep' } });
  });

  it('handles at most `limit` requests a batch, the earliest reminders first', async () => {
    const { caseId, officer } = await caseAtStation();
    const ids: string[] = [];
    for (const platformKey of ['instagram', 'facebook', 'snapchat']) {
      const draft = await drafted(caseId, officer, { platformKey, kind: 'preservation' });
      await moved(caseId, draft.id, officer, { to: 'approved' });
      ids.push((await moved(caseId, draft.id, officer, { to: 'sent' })).id);
    }
    // Reminders long past, before anyone else's: only these three are due at this clock. (No
    // other test file runs this job: tests/scheduled.test.ts runs the purge alone.)
    const owner = openHttpDatabase(ownerConfig());
    await owner.execute(sql`update platform_requests set reminder_at = '2001-01-01T00:00:00Z'::timestamptz + (array_position(${`{${ids.join(',')}}`}::uuid[], id) * interval '1 minute')
      where id = any(${`{${ids.join(',')}}`}::uuid[])`);
    const clock = new Date('2001-01-02T00:00:00Z');
    expect(await sweepBatch(clock, 2)).toBe(2);
    expect((await Promise.all(ids.map((id) => readRequest(caseId, id, officer)))).map((request) => request.reminderAt === null)).toEqual([true, true, false]);
    expect(await sweepBatch(clock, 2)).toBe(1);
    expect(await sweepBatch(clock, 2)).toBe(0);
    // One event each; the first batch's two share a moment (and ids are time-ordered only to the millisecond).
    const published = (await integrationEvents(caseId)).map((event) => event.payload.requestId);
    expect(new Set(published.slice(0, 2))).toEqual(new Set(ids.slice(0, 2)));
    expect(published.slice(2)).toEqual([ids[2]]);
  });

  it('has nothing to remind of once the request is refused', async () => {
    const { caseId, request, officer } = await sentPreservation();
    await moved(caseId, request.id, officer, { to: 'refused' });
    await sweepBatch(new Date(Date.parse(request.reminderAt!) + 60_000));
    expect(await integrationEvents(caseId)).toEqual([]);
  });
});
