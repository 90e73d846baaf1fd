import { z } from '@hono/zod-openapi';
import { env } from 'cloudflare:workers';
import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../../src/db/client.js';
import { paginationSchema } from '../../../src/http/cursor.js';
import { auditEventSchema } from '../../../src/routes/audit/list-audit-events.js';
import { auditChainVerdictSchema } from '../../../src/routes/audit/verify-audit-chain.js';
import { onboardedUnitSchema } from '../../../src/routes/units/create-unit.js';
import { api, expectProblem } from '../../support/api.js';
import { ownerConfig } from '../../support/config.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

const auditPageSchema = z.object({ data: z.array(auditEventSchema.strict()), pagination: paginationSchema }).strict();
const verdictSchema = auditChainVerdictSchema.strict();
type AuditEvent = z.infer<typeof auditEventSchema>;

/** The unit's whole trail, oldest first, following the cursor. */
async function auditTrail(unitCode: string, token: string, pageSize = 200): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let query = `?limit=${pageSize}`;
  for (;;) {
    const response = await api(`/v1/units/${unitCode}/audit${query}`, { token });
    expect(response.status).toBe(200);
    const page = auditPageSchema.parse(await response.json());
    events.push(...page.data);
    if (!page.pagination.hasMore) return events;
    query = `?limit=${pageSize}&cursor=${page.pagination.nextCursor}`;
  }
}

async function verify(unitCode: string, token: string) {
  const response = await api(`/v1/units/${unitCode}/audit/verify`, { token });
  expect(response.status).toBe(200);
  return verdictSchema.parse(await response.json());
}

const intact = (eventsChecked: number) => ({ intact: true, eventsChecked, firstBrokenSequence: null, problem: null });
const sequences = (events: AuditEvent[]) => events.map((event) => event.sequence);
const oneTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

/** Sends a mutation and returns the X-Request-Id it was answered under. */
async function mutate(path: string, method: 'POST' | 'PATCH', token: string, body: unknown, status: number) {
  const response = await api(path, { method, token, body, headers: method === 'PATCH' ? { 'If-Match': '*' } : {} });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${response.status} ${text}`);
  return response.headers.get('x-request-id')!;
}

/** Four audited changes to a fresh tenant: create and rename a district, create and mark a station. */
async function fourChanges(tenant: TestTenant, token: string) {
  const district = `${tenant.unitCode}-EAST`;
  const station = `${district}-A`;
  return [
    await mutate(`/v1/units/${tenant.unitCode}/districts`, 'POST', token, { code: district, name: 'East' }, 201),
    await mutate(`/v1/units/${tenant.unitCode}/districts/${district}`, 'PATCH', token, { name: 'East District' }, 200),
    await mutate(`/v1/units/${tenant.unitCode}/stations`, 'POST', token, { code: station, name: 'East A', districtCode: district }, 201),
    await mutate(`/v1/units/${tenant.unitCode}/stations/${station}`, 'PATCH', token, { isCyberCrimeStation: true }, 200),
  ];
}

/** Tampering as the database owner would, behind the API's back. Returns the number of rows touched. */
async function asOwner(statement: SQL) {
  const result = await openHttpDatabase(ownerConfig()).execute(statement);
  return result.rowCount;
}

const unitId = (unitCode: string) => sql`(select id from units where code = ${unitCode})`;

describe('GET /v1/units/{unitCode}/audit', () => {
  it('records each change once, in order, with its actor, its request id and what changed', async () => {
    const tenant = await createTestTenant();
    const subject = `admin-${crypto.randomUUID()}`;
    const token = await signToken({ sub: subject, roles: ['unit_admin'], unit: tenant.unitCode });
    const requestIds = await fourChanges(tenant, token);

    const events = await auditTrail(tenant.unitCode, token);
    expect(sequences(events)).toEqual([1, 2, 3, 4]);
    expect(events.map((event) => event.requestId)).toEqual(requestIds);
    expect(new Set(requestIds).size).toBe(4);
    expect(events.map((event) => event.actor)).toEqual(Array(4).fill({ issuer: env.AUTH_ISSUER, subject, roles: ['unit_admin'] }));
    expect(events.map(({ action, target, changes }) => ({ action, target, changes }))).toEqual([
      { action: 'district.created', target: { type: 'district', id: `${tenant.unitCode}-EAST` }, changes: { code: `${tenant.unitCode}-EAST`, name: 'East', kind: 'district' } },
      { action: 'district.updated', target: { type: 'district', id: `${tenant.unitCode}-EAST` }, changes: { name: 'East District' } },
      {
        action: 'station.created',
        target: { type: 'station', id: `${tenant.unitCode}-EAST-A` },
        changes: { code: `${tenant.unitCode}-EAST-A`, name: 'East A', districtCode: `${tenant.unitCode}-EAST`, isCyberCrimeStation: false },
      },
      { action: 'station.updated', target: { type: 'station', id: `${tenant.unitCode}-EAST-A` }, changes: { isCyberCrimeStation: true } },
    ]);
    expect(events.every((event) => /^[0-9a-f]{64}$/.test(event.hash))).toBe(true);
    expect(new Set(events.map((event) => event.hash)).size).toBe(4);
    expect(await verify(tenant.unitCode, token)).toEqual(intact(4));
  });

  it('records the onboarding of a unit in its own trail: the unit and its administrator client, under one request', async () => {
    const code = `A${crypto.randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
    const response = await api('/v1/units', { method: 'POST', token: await signToken({ sub: 'platform-operator', roles: ['platform_admin'] }), body: { code, name: 'Audited unit' } });
    expect(response.status).toBe(201);
    const { administrator } = onboardedUnitSchema.parse(await response.json());
    const token = await tokenFor.unit(code);
    const events = await auditTrail(code, token);
    expect(events.map(({ sequence, action, target, requestId, actor }) => ({ sequence, action, target, requestId, subject: actor.subject }))).toEqual([
      { sequence: 1, action: 'unit.created', target: { type: 'unit', id: code }, requestId: response.headers.get('x-request-id'), subject: 'platform-operator' },
      { sequence: 2, action: 'client.created', target: { type: 'client', id: administrator!.client.clientId }, requestId: response.headers.get('x-request-id'), subject: 'platform-operator' },
    ]);
    expect(JSON.stringify(events)).not.toContain(administrator!.clientSecret);
    expect(Object.keys(events[1]!.changes as object).sort()).toEqual(['clientId', 'districtCode', 'name', 'roles', 'scopes', 'stationCode']);
    expect(await verify(code, token)).toEqual(intact(2));
  });

  it('appends nothing for a refused or failed change, in the unit or in the one it aimed at', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    const district = `${tenant.unitCode}-EAST`;
    await mutate(`/v1/units/${tenant.unitCode}/districts`, 'POST', token, { code: district, name: 'East' }, 201);
    await mutate(`/v1/units/${other.unitCode}/districts`, 'POST', await tokenFor.unit(other.unitCode), { code: `${other.unitCode}-EAST`, name: 'East' }, 201);

    await mutate(`/v1/units/${tenant.unitCode}/districts`, 'POST', token, { code: district, name: 'Again' }, 409);
    await mutate(`/v1/units/${tenant.unitCode}/stations`, 'POST', token, { code: tenant.stationCodes[0], name: 'Again', districtCode: tenant.districtCodes[0] }, 409);
    await mutate(`/v1/units/${tenant.unitCode}/stations`, 'POST', token, { code: `${tenant.unitCode}-NOWHERE-A`, name: 'Orphan', districtCode: `${tenant.unitCode}-NOWHERE` }, 404);
    await mutate(`/v1/units/${tenant.unitCode}/districts/${tenant.unitCode}-NOWHERE`, 'PATCH', token, { name: 'Ghost' }, 404);
    await mutate(`/v1/units/${tenant.unitCode}/districts`, 'POST', token, { code: `${other.unitCode}-X`, name: 'Misplaced' }, 400);
    await mutate(`/v1/units/${other.unitCode}/districts`, 'POST', token, { code: `${other.unitCode}-PLANTED`, name: 'Planted' }, 404);
    await mutate(`/v1/units/${other.unitCode}/districts/${other.districtCodes[0]}`, 'PATCH', token, { name: 'Renamed from outside' }, 404);
    await mutate(`/v1/units/${other.unitCode}/stations/${other.stationCodes[0]}`, 'PATCH', token, { name: 'Renamed from outside' }, 404);
    await mutate(`/v1/units/${tenant.unitCode}/districts`, 'POST', await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), { code: `${tenant.unitCode}-WEST`, name: 'West' }, 403);

    expect((await auditTrail(tenant.unitCode, token)).map((event) => event.action)).toEqual(['district.created']);
    expect((await auditTrail(other.unitCode, await tokenFor.unit(other.unitCode))).map((event) => event.action)).toEqual(['district.created']);
    // The next change still takes the next number: a failed one left no hole in the chain.
    await mutate(`/v1/units/${tenant.unitCode}/districts/${district}`, 'PATCH', token, { name: 'East District' }, 200);
    expect(sequences(await auditTrail(tenant.unitCode, token))).toEqual([1, 2]);
    expect(await verify(tenant.unitCode, token)).toEqual(intact(2));
  });

  it('pages through the trail with a cursor without skipping or repeating an event', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    await fourChanges(tenant, token);
    const paged = await auditTrail(tenant.unitCode, token, 3);
    expect(paged).toEqual(await auditTrail(tenant.unitCode, token));
    expect(sequences(paged)).toEqual([1, 2, 3, 4]);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/audit?cursor=bm90LWpzb24`, { token }), 400, 'invalid_cursor');
  });

  it('keeps the chain contiguous and intact under concurrent changes in one unit', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const codes = Array.from({ length: 10 }, (_, index) => `${tenant.unitCode}-P${index}`);
    const requestIds = await Promise.all(
      codes.map((code) => mutate(`/v1/units/${tenant.unitCode}/districts`, 'POST', token, { code, name: `Parallel ${code}` }, 201)),
    );
    const events = await auditTrail(tenant.unitCode, token);
    expect(sequences(events)).toEqual(oneTo(10));
    expect(events.map((event) => event.requestId).sort()).toEqual([...requestIds].sort());
    expect(events.map((event) => event.target.id).sort()).toEqual([...codes].sort());
    expect(await verify(tenant.unitCode, token)).toEqual(intact(10));
  });
});

describe('GET /v1/units/{unitCode}/audit/verify', () => {
  it('says an untouched chain is intact, and an empty one too', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    expect(await verify(tenant.unitCode, token)).toEqual(intact(0));
    await fourChanges(tenant, token);
    expect(await verify(tenant.unitCode, token)).toEqual(intact(4));
  });

  it('names an event edited in the database as the first broken link', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    await fourChanges(tenant, token);
    await fourChanges(other, await tokenFor.unit(other.unitCode));
    expect(await asOwner(sql`update audit_events set changes = '{"name":"forged"}' where unit_id = ${unitId(tenant.unitCode)} and sequence = 2`)).toBe(1);

    expect(await verify(tenant.unitCode, token)).toEqual({
      intact: false,
      eventsChecked: 4,
      firstBrokenSequence: 2,
      problem: 'this event was altered after it was recorded',
    });
    expect((await auditTrail(tenant.unitCode, token))[1]!.changes).toEqual({ name: 'forged' });
    expect(await verify(other.unitCode, await tokenFor.unit(other.unitCode))).toEqual(intact(4));
  });

  it('catches a forger who recomputes the edited event\'s own hash: the next event no longer links to it', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    await fourChanges(tenant, token);
    const touched = await asOwner(sql`
      update audit_events e set actor_subject = 'someone-else',
             hash = app.audit_event_hash(e.previous_hash, e.unit_id, e.sequence, e.occurred_at, e.actor_issuer, 'someone-else',
                                         e.actor_roles, e.action, e.target_type, e.target_id, e.changes, e.request_id)
       where unit_id = ${unitId(tenant.unitCode)} and sequence = 2`);
    expect(touched).toBe(1);
    expect(await verify(tenant.unitCode, token)).toEqual({
      intact: false,
      eventsChecked: 4,
      firstBrokenSequence: 3,
      problem: 'this event does not link to the one before it',
    });
  });

  it('detects an event deleted from the middle or the start of the chain', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    await fourChanges(tenant, token);
    expect(await asOwner(sql`delete from audit_events where unit_id = ${unitId(tenant.unitCode)} and sequence = 2`)).toBe(1);
    expect(await verify(tenant.unitCode, token)).toEqual({
      intact: false,
      eventsChecked: 3,
      firstBrokenSequence: 3,
      problem: 'an event is missing before this one',
    });

    const otherToken = await tokenFor.unit(other.unitCode);
    await fourChanges(other, otherToken);
    expect(await asOwner(sql`delete from audit_events where unit_id = ${unitId(other.unitCode)} and sequence = 1`)).toBe(1);
    expect(await verify(other.unitCode, otherToken)).toMatchObject({ intact: false, eventsChecked: 3, firstBrokenSequence: 2 });
  });

  it('detects the newest event deleted from the end of the chain, and the whole trail deleted', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    await fourChanges(tenant, token);
    expect(await asOwner(sql`delete from audit_events where unit_id = ${unitId(tenant.unitCode)} and sequence = 4`)).toBe(1);
    expect(await verify(tenant.unitCode, token)).toMatchObject({ intact: false, eventsChecked: 3, firstBrokenSequence: 4 });
    await asOwner(sql`delete from audit_events where unit_id = ${unitId(tenant.unitCode)}`);
    expect(await verify(tenant.unitCode, token)).toMatchObject({ intact: false, eventsChecked: 0, firstBrokenSequence: 1 });
  });

  it('answers 404 for another unit, whose chain it never reveals', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    await fourChanges(other, await tokenFor.unit(other.unitCode));
    const token = await tokenFor.unit(tenant.unitCode);
    await expectProblem(await api(`/v1/units/${other.unitCode}/audit/verify`, { token }), 404, 'not_found');
    await expectProblem(await api(`/v1/units/${other.unitCode}/audit`, { token }), 404, 'not_found');
  });
});

describe('who may read the audit trail', () => {
  it('lets an auditor read and verify it, but not change the tenancy it records', async () => {
    const tenant = await createTestTenant();
    await fourChanges(tenant, await tokenFor.unit(tenant.unitCode));
    const auditor = await signToken({ sub: 'auditor-1', roles: ['auditor'], unit: tenant.unitCode });
    expect(sequences(await auditTrail(tenant.unitCode, auditor))).toEqual([1, 2, 3, 4]);
    expect(await verify(tenant.unitCode, auditor)).toEqual(intact(4));
    await expectProblem(
      await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token: auditor, body: { code: `${tenant.unitCode}-WEST`, name: 'West' } }),
      403,
      'forbidden',
    );
    expect(sequences(await auditTrail(tenant.unitCode, auditor))).toEqual([1, 2, 3, 4]);
  });

  it('refuses station officers, district supervisors and the platform administrator with 403', async () => {
    const tenant = await createTestTenant();
    const callers = [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.platform(),
    ];
    for (const token of callers) {
      await expectProblem(await api(`/v1/units/${tenant.unitCode}/audit`, { token }), 403, 'forbidden');
      await expectProblem(await api(`/v1/units/${tenant.unitCode}/audit/verify`, { token }), 403, 'forbidden');
    }
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/audit`), 401, 'unauthorized');
  });
});
