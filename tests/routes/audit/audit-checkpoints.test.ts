import { env } from 'cloudflare:workers';
import { sql, type SQL } from 'drizzle-orm';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase, withWebSocketDatabase } from '../../../src/db/client.js';
import { listAuditCheckpointsRoute } from '../../../src/routes/audit/list-audit-checkpoints.js';
import { listAuditEventsRoute } from '../../../src/routes/audit/list-audit-events.js';
import { verifyAuditChainRoute } from '../../../src/routes/audit/verify-audit-chain.js';
import { verifyAuditCheckpointRoute } from '../../../src/routes/audit/verify-audit-checkpoint.js';
import { checkpointAuditChains, runScheduledWork } from '../../../src/scheduled.js';
import { api, expectProblem } from '../../support/api.js';
import { testNow, minutesAgo } from '../../support/clock.js';
import { appConfig, ownerConfig } from '../../support/config.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';

const config = appConfig();
const unitId = (unitCode: string) => sql`(select id from units where code = ${unitCode})`;

async function asOwner(statement: SQL) {
  return (await openHttpDatabase(ownerConfig()).execute(statement)).rowCount;
}

/** `count` audited changes in the unit: districts created one by one. */
async function changes(tenant: TestTenant, count: number) {
  const token = await tokenFor.unit(tenant.unitCode);
  for (let index = 0; index < count; index += 1) {
    const response = await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token, body: { code: `${tenant.unitCode}-D${crypto.randomUUID().slice(0, 6).toUpperCase()}`, name: 'District' } });
    expect(response.status, await response.clone().text()).toBe(201);
  }
}

const checkpointsOf = async (tenant: TestTenant, query = '') =>
  parseResponse(listAuditCheckpointsRoute, 200, await api(`/v1/units/${tenant.unitCode}/audit/checkpoints${query}`, { token: await tokenFor.unit(tenant.unitCode) }));
const trailOf = async (tenant: TestTenant) =>
  (await parseResponse(listAuditEventsRoute, 200, await api(`/v1/units/${tenant.unitCode}/audit?limit=200`, { token: await tokenFor.unit(tenant.unitCode) }))).data;
const verdictOf = async (tenant: TestTenant) =>
  parseResponse(verifyAuditChainRoute, 200, await api(`/v1/units/${tenant.unitCode}/audit/verify`, { token: await tokenFor.unit(tenant.unitCode) }));
const checkOf = async (tenant: TestTenant, checkpoint: string) =>
  api(`/v1/units/${tenant.unitCode}/audit/checkpoints/verify`, { method: 'POST', token: await tokenFor.auditor(tenant.unitCode), body: { checkpoint } });
const checkpointAt = (now: Date) => runScheduledWork(config, now, { checkpointAuditChains });

async function apiKeys(): Promise<JSONWebKeySet> {
  const response = await api('/.well-known/jwks.json');
  expect(response.status).toBe(200);
  return (await response.json()) as JSONWebKeySet;
}

describe('signed audit checkpoints', () => {
  it("signs the unit's chain head each minute it moved, with the token signing key, as a JWS an outside party can check", async () => {
    const tenant = await createTestTenant();
    await changes(tenant, 3);
    const signedAt = new Date(minutesAgo(1));
    await checkpointAt(signedAt);

    // Newest first. The job signs every unit's moved chain: another file's run may have signed this one's earlier too.
    const { data: [checkpoint] } = await checkpointsOf(tenant);
    const trail = await trailOf(tenant);
    expect(checkpoint).toMatchObject({ sequence: 3, hash: trail.at(-1)!.hash, signedAt: signedAt.toISOString() });

    const header = decodeProtectedHeader(checkpoint!.checkpoint);
    expect(header).toMatchObject({ typ: 'audit-checkpoint+jwt', kid: checkpoint!.keyId });
    const { payload } = await jwtVerify(checkpoint!.checkpoint, createLocalJWKSet(await apiKeys()), { issuer: config.TOKEN_ISSUER, typ: 'audit-checkpoint+jwt', currentDate: signedAt });
    expect(payload).toMatchObject({ unit: tenant.unitCode, sequence: 3, hash: trail.at(-1)!.hash, iat: Math.floor(signedAt.getTime() / 1000) });

    // Nothing moved: no new checkpoint. Two more changes: a new one, newest first.
    const signed = (await checkpointsOf(tenant)).data.length;
    await checkpointAt(testNow());
    expect((await checkpointsOf(tenant)).data).toHaveLength(signed);
    await changes(tenant, 2);
    await checkpointAt(testNow());
    const sequences = (await checkpointsOf(tenant)).data.map((kept) => kept.sequence);
    expect(sequences[0]).toBe(5);
    expect(sequences).toContain(3);
    expect([...sequences].sort((a, b) => b - a)).toEqual(sequences);
    const paged: number[] = [];
    for (let query = '?limit=1'; ; ) {
      const page = await checkpointsOf(tenant, query);
      paged.push(...page.data.map((kept) => kept.sequence));
      if (!page.pagination.hasMore) break;
      query = `?limit=1&cursor=${page.pagination.nextCursor}`;
    }
    expect(paged).toEqual(sequences);
    expect(await verdictOf(tenant)).toEqual({ intact: true, eventsChecked: 5, firstBrokenSequence: null, problem: null });
  });

  it('catches the database owner rewriting events and head together, which the chain alone cannot', async () => {
    const tenant = await createTestTenant();
    await changes(tenant, 3);
    await checkpointAt(testNow());
    const [kept] = (await checkpointsOf(tenant)).data;

    // Event 2 edited, and every hash from it on recomputed, head included: the chain is consistent again.
    await asOwner(sql`update audit_events set changes = '{"name":"forged"}' where unit_id = ${unitId(tenant.unitCode)} and sequence = 2`);
    await asOwner(sql`
      do $$
      declare
        v_event record;
        v_hash text;
      begin
        select hash into v_hash from audit_events where unit_id = (select id from units where code = '${sql.raw(tenant.unitCode)}') and sequence = 1;
        for v_event in select * from audit_events where unit_id = (select id from units where code = '${sql.raw(tenant.unitCode)}') and sequence >= 2 order by sequence loop
          v_hash := app.audit_event_hash(v_hash, v_event.unit_id, v_event.sequence, v_event.occurred_at, v_event.actor_issuer, v_event.actor_subject,
            v_event.actor_roles, v_event.action, v_event.target_type, v_event.target_id, v_event.changes, v_event.request_id, v_event.case_id);
          update audit_events set previous_hash = (select hash from audit_events where unit_id = v_event.unit_id and sequence = v_event.sequence - 1), hash = v_hash where id = v_event.id;
        end loop;
        update audit_chain_heads set last_hash = v_hash where unit_id = (select id from units where code = '${sql.raw(tenant.unitCode)}');
      end $$`);

    expect(await verdictOf(tenant)).toEqual({ intact: false, eventsChecked: 3, firstBrokenSequence: 3, problem: 'the chain no longer matches the checkpoint the API signed at this event' });
    // The checkpoint an outside party kept no longer matches the trail either, even with the stored checkpoints removed too.
    await asOwner(sql`delete from audit_checkpoints where unit_id = ${unitId(tenant.unitCode)}`);
    expect(await verdictOf(tenant)).toMatchObject({ intact: true });
    expect((await trailOf(tenant)).find((event) => event.sequence === kept!.sequence)!.hash).not.toBe(kept!.hash);
    expect(await parseResponse(verifyAuditCheckpointRoute, 200, await checkOf(tenant, kept!.checkpoint))).toEqual({
      sequence: 3,
      hash: kept!.hash,
      heldByChain: false,
      chain: { intact: true, eventsChecked: 3, firstBrokenSequence: null, problem: null },
      consistent: false,
    });
  });

  it('checks a checkpoint kept outside against the trail as it stands, and refuses one it did not sign for the unit', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    await changes(tenant, 2);
    await changes(other, 1);
    await checkpointAt(testNow());
    const [kept] = (await checkpointsOf(tenant)).data;
    const [elsewhere] = (await checkpointsOf(other)).data;
    await changes(tenant, 1);
    expect(await parseResponse(verifyAuditCheckpointRoute, 200, await checkOf(tenant, kept!.checkpoint))).toEqual({
      sequence: 2,
      hash: kept!.hash,
      heldByChain: true,
      chain: { intact: true, eventsChecked: 3, firstBrokenSequence: null, problem: null },
      consistent: true,
    });

    const [header, payload] = kept!.checkpoint.split('.');
    const forgedPayload = btoa(JSON.stringify({ ...JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/'))), sequence: 1 })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const accessToken = await tokenFor.unit(tenant.unitCode);
    for (const refused of [`${header}.${forgedPayload}.${kept!.checkpoint.split('.')[2]}`, elsewhere!.checkpoint, accessToken, 'not-a-jws']) {
      const problem = await expectProblem(await checkOf(tenant, refused), 422, 'checkpoint_invalid');
      expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/body/checkpoint' })]);
    }
  });

  it('records a checkpoint only of a hash the chain holds, and never passes one off as an access token', async () => {
    const tenant = await createTestTenant();
    await changes(tenant, 1);
    await checkpointAt(testNow());
    const [kept] = (await checkpointsOf(tenant)).data;
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/audit`, { token: kept!.checkpoint }), 401, 'unauthorized');

    const [{ recorded }] = (
      await openHttpDatabase(ownerConfig()).execute<{ recorded: number }>(
        sql`select app.record_audit_checkpoints(${JSON.stringify([{ unit_id: null, sequence: 1, hash: 'f'.repeat(64), signed_at: testNow().toISOString(), key_id: 'k', checkpoint: 'x' }])}::jsonb) as recorded`,
      )
    ).rows as [{ recorded: number }];
    expect(recorded).toBe(0);
  });

  it("answers 404 for another unit's checkpoints", async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    await changes(other, 1);
    await checkpointAt(testNow());
    await expectProblem(await api(`/v1/units/${other.unitCode}/audit/checkpoints`, { token: await tokenFor.unit(tenant.unitCode) }), 404, 'not_found');
  });
});

describe('the audit chain under concurrent writes', () => {
  // The embedded database serves one session at a time: a transaction held open would hold every other.
  it.skipIf(env.TEST_DATABASE_KIND !== 'server')("does not hold a unit's writes behind a transaction still open: events are sealed as each commits, in commit order", async () => {
    const tenant = await createTestTenant();
    await changes(tenant, 1);
    await withWebSocketDatabase(ownerConfig(), (db) =>
      db.transaction(async (held) => {
        await held.execute(sql`
          insert into audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes)
          select id, 'urn:test', 'held-open', '{}', 'test.held', 'unit', code, '{}' from units where code = ${tenant.unitCode}`);
        // With this transaction's event unsealed, writes in the same unit go through, each sealed as it commits.
        await changes(tenant, 2);
        expect((await trailOf(tenant)).map((event) => event.sequence)).toEqual([1, 2, 3]);
      }),
    );
    const trail = await trailOf(tenant);
    expect(trail.map((event) => [event.sequence, event.action])).toEqual([
      [1, 'district.created'],
      [2, 'district.created'],
      [3, 'district.created'],
      [4, 'test.held'],
    ]);
    expect(await verdictOf(tenant)).toEqual({ intact: true, eventsChecked: 4, firstBrokenSequence: null, problem: null });
  });

  it('names an event written past the seal (its triggers disabled) as never sealed, and no later write takes it in', async () => {
    const tenant = await createTestTenant();
    await changes(tenant, 2);
    await asOwner(sql`
      do $$ begin
        set local session_replication_role = replica;
        insert into audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes)
        select id, 'urn:test', 'past-the-seal', '{}', 'test.unsealed', 'unit', code, '{}' from units where code = '${sql.raw(tenant.unitCode)}';
      end $$`);
    // Later writes seal their own events only: the stray one is never taken into the chain.
    await changes(tenant, 1);
    expect(await verdictOf(tenant)).toEqual({ intact: false, eventsChecked: 3, firstBrokenSequence: 4, problem: 'an event was recorded outside the chain: it was never sealed' });
  });
});
