import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { createTenantRunner } from '../../src/db/tenant-runner.js';
import type { TenantScope } from '../../src/tenancy/scope.js';
import { api } from '../support/api.js';
import { reportTestCase } from '../support/cases.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';
import { testNow } from '../support/clock.js';

/** Raw statements as the app role, through the real runner: no handler code in between. */
function asAppRole(scope: TenantScope | null) {
  return createTenantRunner(appConfig(), scope);
}

async function run<Row extends Record<string, unknown>>(scope: TenantScope | null, statement: SQL): Promise<Row[]> {
  const [result] = await asAppRole(scope).batch((db) => [db.execute<Row>(statement)]);
  return result.rows;
}

const atStation = (tenant: TestTenant, index: 0 | 1 | 2 | 3): TenantScope => ({ level: 'station', unitCode: tenant.unitCode, stationCode: tenant.stationCodes[index] });
const atDistrict = (tenant: TestTenant, index: 0 | 1): TenantScope => ({ level: 'district', unitCode: tenant.unitCode, districtCode: tenant.districtCodes[index] });
const atUnit = (tenant: TestTenant): TenantScope => ({ level: 'unit', unitCode: tenant.unitCode });

type Visible = { cases: number; identifiers: number; payments: number; references: number; notes: number; evidence: number; custody: number; events: number };

/** How many rows of one case each table shows the context. */
async function visibleRowsOf(scope: TenantScope | null, caseId: string): Promise<Visible> {
  const [counts] = await run<Visible>(scope, sql`
    select (select count(*) from cases where id = ${caseId})::int as cases,
           (select count(*) from case_identifiers where case_id = ${caseId})::int as identifiers,
           (select count(*) from case_payments where case_id = ${caseId})::int as payments,
           (select count(*) from case_references where case_id = ${caseId})::int as "references",
           (select count(*) from case_notes where case_id = ${caseId})::int as notes,
           (select count(*) from evidence_items where case_id = ${caseId})::int as evidence,
           (select count(*) from custody_events where case_id = ${caseId})::int as custody,
           (select count(*) from audit_events where case_id = ${caseId})::int as events`);
  return counts!;
}

const NOTHING: Visible = { cases: 0, identifiers: 0, payments: 0, references: 0, notes: 0, evidence: 0, custody: 0, events: 0 };

/** A case at the tenant's first station with a row in every child table, made through the API. */
async function caseWithEveryRecord(tenant: TestTenant) {
  const reported = await reportTestCase(tenant);
  const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
  const at = `/v1/cases/${reported.id}`;
  const created = await Promise.all([
    api(`${at}/identifiers`, { method: 'POST', token, body: { kind: 'phone', value: '098123 45610' } }),
    api(`${at}/references`, { method: 'POST', token, body: { kind: 'ncrp_acknowledgement', value: '31811250012345' } }),
    api(`${at}/notes`, { method: 'POST', token, body: { body: 'Victim counselled' } }),
    api(`${at}/evidence`, { method: 'POST', token, body: { kind: 'screenshot', description: 'Threat', content: btoa('threat'), capturedAt: new Date(testNow().getTime() - 3_600_000).toISOString() } }),
  ]);
  expect(created.map((response) => response.status)).toEqual([201, 201, 201, 201]);
  const evidence = (await created[3]!.json()) as { id: string };
  // Intake: 3 identifiers, 1 payment, its checklist; then the four records above, each with its audit event after case.reported.
  const everything: Visible = { cases: 1, identifiers: 4, payments: 1, references: 1, notes: 1, evidence: 1, custody: 1, events: 6 };
  return { caseId: reported.id, evidenceId: evidence.id, everything };
}

async function transferToCyberStation(tenant: TestTenant, caseId: string) {
  const sho = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer');
  const response = await api(`/v1/cases/${caseId}/transfer`, { method: 'POST', token: sho, body: { toStationCode: tenant.stationCodes[3], reason: 'Cyber crime station' } });
  expect(response.status).toBe(200);
}

type StationIds = { id: string; districtId: string; unitId: string; code: string };

async function stationIds(code: string): Promise<StationIds> {
  const { rows } = await openHttpDatabase(ownerConfig()).execute<StationIds>(
    sql`select id, district_id as "districtId", unit_id as "unitId", code from stations where code = ${code}`,
  );
  return rows[0]!;
}

/** One statement per child table that adds a row to the case, for the given unit id. */
function childInserts(caseId: string, evidenceId: string, unitId: SQL): Record<string, SQL> {
  const mark = crypto.randomUUID().slice(0, 8);
  return {
    case_identifiers: sql`insert into case_identifiers (case_id, unit_id, created_by, kind, normalized, display, details, source)
      values (${caseId}, ${unitId}, 'rls-test', 'upi', ${`planted.${mark}@ybl`}, ${`planted.${mark}@ybl`}, '{}'::jsonb, 'added') returning id`,
    case_payments: sql`insert into case_payments (case_id, unit_id, created_by, amount, currency, paid_at, method)
      values (${caseId}, ${unitId}, 'rls-test', 100, 'INR', now(), 'upi') returning id`,
    case_references: sql`insert into case_references (case_id, unit_id, created_by, kind, value)
      values (${caseId}, ${unitId}, 'rls-test', 'other', ${`PLANTED-${mark}`}) returning id`,
    case_notes: sql`insert into case_notes (case_id, unit_id, created_by, body) values (${caseId}, ${unitId}, 'rls-test', 'Planted note') returning id`,
    evidence_items: sql`insert into evidence_items (case_id, unit_id, created_by, kind, description, sha256, hash_origin, captured_at, captured_by, custodian)
      values (${caseId}, ${unitId}, 'rls-test', 'other', 'Planted item', repeat('a', 64), 'supplied', now(), '{"name":"x"}'::jsonb, '{"name":"x"}'::jsonb) returning id`,
    custody_events: sql`insert into custody_events (case_id, unit_id, created_by, evidence_id, kind, occurred_at, to_custodian)
      values (${caseId}, ${unitId}, 'rls-test', ${evidenceId}, 'handed_over', now(), '{"name":"x"}'::jsonb) returning id`,
  };
}

const currentUnit = sql`app.current_unit_id()`;

describe('row-level security on cases and their records', () => {
  it('shows a station the cases it holds with every record, and another station of the unit none of them', async () => {
    const tenant = await createTestTenant();
    const { caseId, everything } = await caseWithEveryRecord(tenant);

    expect(await visibleRowsOf(atStation(tenant, 0), caseId)).toEqual(everything);
    expect(await visibleRowsOf(atStation(tenant, 1), caseId)).toEqual(NOTHING);
    expect(await visibleRowsOf(atStation(tenant, 3), caseId)).toEqual(NOTHING);
    expect(await run(atStation(tenant, 1), sql`select id from cases`)).toEqual([]);

    expect(await visibleRowsOf(atDistrict(tenant, 0), caseId)).toEqual(everything);
    expect(await visibleRowsOf(atDistrict(tenant, 1), caseId)).toEqual(NOTHING);
    expect(await visibleRowsOf(atUnit(tenant), caseId)).toEqual(everything);
  });

  it('shows another unit, the platform and a caller without a context none of a unit\'s cases or records', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const { caseId, everything } = await caseWithEveryRecord(tenant);
    expect(await visibleRowsOf(atUnit(tenant), caseId)).toEqual(everything);

    expect(await visibleRowsOf(atUnit(other), caseId)).toEqual(NOTHING);
    expect(await visibleRowsOf(atStation(other, 0), caseId)).toEqual(NOTHING);
    expect(await run(atUnit(other), sql`select id from cases`)).toEqual([]);

    const anything = sql`
      select (select count(*) from cases)::int + (select count(*) from case_identifiers)::int + (select count(*) from case_payments)::int
           + (select count(*) from case_references)::int + (select count(*) from case_notes)::int + (select count(*) from evidence_items)::int
           + (select count(*) from custody_events)::int + (select count(*) from audit_events where case_id is not null)::int as visible`;
    expect(await run({ level: 'platform' }, anything)).toEqual([{ visible: 0 }]);
    expect(await run(null, anything)).toEqual([{ visible: 0 }]);
  });

  it('keeps a past holder reading the case and its records after a transfer, including the ones added since', async () => {
    const tenant = await createTestTenant();
    const { caseId, evidenceId, everything } = await caseWithEveryRecord(tenant);
    await transferToCyberStation(tenant, caseId);

    for (const [table, insert] of Object.entries(childInserts(caseId, evidenceId, currentUnit))) {
      expect(await run(atStation(tenant, 3), insert), table).toHaveLength(1);
    }
    const withAdditions = {
      ...everything,
      identifiers: everything.identifiers + 1,
      payments: 2,
      references: 2,
      notes: 2,
      evidence: 2,
      custody: 2,
      events: everything.events + 1,
    };
    expect(await visibleRowsOf(atStation(tenant, 3), caseId)).toEqual(withAdditions);
    expect(await visibleRowsOf(atStation(tenant, 0), caseId)).toEqual(withAdditions);
    expect(await visibleRowsOf(atDistrict(tenant, 0), caseId)).toEqual(withAdditions);
    expect(await visibleRowsOf(atStation(tenant, 1), caseId)).toEqual(NOTHING);
  });

  it("shows a case's SOP steps to its holder and past holders, their districts and the unit, and no other station or unit", async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const { caseId } = await caseWithEveryRecord(tenant);
    await transferToCyberStation(tenant, caseId);
    const stepsSeenAt = async (scope: TenantScope) => (await run<{ steps: number }>(scope, sql`select count(*)::int as steps from case_steps where case_id = ${caseId}`))[0]!.steps;
    const [all] = await openHttpDatabase(ownerConfig()).execute<{ steps: number }>(sql`select count(*)::int as steps from case_steps where case_id = ${caseId}`).then((result) => result.rows);
    expect(all!.steps).toBeGreaterThan(0);
    for (const scope of [atStation(tenant, 3), atStation(tenant, 0), atDistrict(tenant, 0), atUnit(tenant)]) expect(await stepsSeenAt(scope), JSON.stringify(scope)).toBe(all!.steps);
    for (const scope of [atStation(tenant, 1), atUnit(other)]) expect(await stepsSeenAt(scope), JSON.stringify(scope)).toBe(0);
  });

  it('lets only the holder add records to a case: not the past holder, not another station of the unit', async () => {
    const tenant = await createTestTenant();
    const { caseId, evidenceId, everything } = await caseWithEveryRecord(tenant);
    await transferToCyberStation(tenant, caseId);

    for (const station of [0, 1, 2] as const) {
      for (const [table, insert] of Object.entries(childInserts(caseId, evidenceId, currentUnit))) {
        await expect(run(atStation(tenant, station), insert), `${table} at station ${station}`).rejects.toMatchObject({ code: '42501' });
      }
    }
    // A district that held it reads it but, no longer holding it, cannot add to it.
    await expect(run(atDistrict(tenant, 0), childInserts(caseId, evidenceId, currentUnit).case_notes!)).rejects.toMatchObject({ code: '42501' });
    expect(await visibleRowsOf(atUnit(tenant), caseId)).toEqual({ ...everything, events: everything.events + 1 });
  });

  it('lets no one write events into the timeline of a case they cannot see', async () => {
    const tenant = await createTestTenant();
    const { caseId, everything } = await caseWithEveryRecord(tenant);
    const forged = sql`insert into audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, case_id, sequence, previous_hash, hash)
      values (app.current_unit_id(), 'forger', 'intruder', '{}', 'case.note_added', 'case_note', gen_random_uuid()::text, '{}', ${caseId}, 0, '', '') returning id`;
    await expect(run(atStation(tenant, 1), forged)).rejects.toMatchObject({ code: '42501' });
    await expect(run(atDistrict(tenant, 1), forged)).rejects.toMatchObject({ code: '42501' });
    expect(await visibleRowsOf(atUnit(tenant), caseId)).toEqual(everything);
  });

  it('lets neither a past holder nor another station change the case or its evidence', async () => {
    const tenant = await createTestTenant();
    const { caseId, evidenceId } = await caseWithEveryRecord(tenant);
    await transferToCyberStation(tenant, caseId);

    for (const station of [0, 1] as const) {
      expect(await run(atStation(tenant, station), sql`update cases set narrative = 'rewritten', version = version + 1 where id = ${caseId} returning id`)).toEqual([]);
      expect(await run(atStation(tenant, station), sql`update evidence_items set integrity = 'intact', custodian = '{"name":"x"}' where id = ${evidenceId} returning id`)).toEqual([]);
    }
    expect(await run(atStation(tenant, 3), sql`update cases set narrative = narrative where id = ${caseId} returning id`)).toEqual([{ id: caseId }]);
    const { rows } = await openHttpDatabase(ownerConfig()).execute(sql`select narrative from cases where id = ${caseId}`);
    expect(rows).toEqual([{ narrative: 'Met on Instagram; a video call was recorded; paid ₹5,000 by UPI.' }]);
  });

  it('refuses records on a case of the unit under another unit\'s id, and on a case of another unit', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const { caseId, evidenceId } = await caseWithEveryRecord(tenant);
    const { unitId: otherUnitId } = await stationIds(other.stationCodes[0]);

    for (const [table, insert] of Object.entries(childInserts(caseId, evidenceId, sql`${otherUnitId}::uuid`))) {
      await expect(run(atStation(tenant, 0), insert), table).rejects.toMatchObject({ code: '42501' });
    }
    for (const [table, insert] of Object.entries(childInserts(caseId, evidenceId, currentUnit))) {
      await expect(run(atUnit(other), insert), table).rejects.toMatchObject({ code: '42501' });
      await expect(run(atStation(other, 0), insert), table).rejects.toMatchObject({ code: '42501' });
    }
  });
});

describe('reporting a case under row-level security', () => {
  const newCase = (station: StationIds) => sql`
    insert into cases (unit_id, district_id, station_id, station_code, reported_station_id, reported_district_id, reported_station_code,
                       holder_station_ids, holder_district_ids, reported_by, complainant, victim, victim_is_minor, incident)
    values (${station.unitId}, ${station.districtId}, ${station.id}, ${station.code}, ${station.id}, ${station.districtId}, ${station.code},
            array[${station.id}::uuid], array[${station.districtId}::uuid], 'rls-test', '{}'::jsonb, '{}'::jsonb, false, '{}'::jsonb)
    returning id`;

  it('lets a station report a case at itself only, and another unit not at all', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const [first, second] = await Promise.all([stationIds(tenant.stationCodes[0]), stationIds(tenant.stationCodes[1])]);

    await expect(run(atStation(tenant, 1), newCase(first))).rejects.toMatchObject({ code: '42501' });
    await expect(run(atStation(tenant, 3), newCase(first))).rejects.toMatchObject({ code: '42501' });
    await expect(run(atDistrict(tenant, 1), newCase(first))).rejects.toMatchObject({ code: '42501' });
    await expect(run(atUnit(other), newCase(first))).rejects.toMatchObject({ code: '42501' });
    await expect(run({ level: 'platform' }, newCase(first))).rejects.toMatchObject({ code: '42501' });
    await expect(run(null, newCase(first))).rejects.toMatchObject({ code: '42501' });
    expect(await run(atUnit(tenant), sql`select id from cases`)).toEqual([]);

    // The same statement at the station's own place goes through, so the refusals above are the policy's.
    const [reportedHere] = await run<{ id: string }>(atStation(tenant, 1), newCase(second));
    expect(await run(atStation(tenant, 1), sql`select id from cases`)).toEqual([reportedHere]);
    expect(await run(atStation(tenant, 0), sql`select id from cases`)).toEqual([]);
  });

  it('lets no request sweep: the escalation and reminder sweeps and the audit checkpoints run only outside any tenant context', async () => {
    const tenant = await createTestTenant();
    for (const sweep of [
      sql`select app.escalate_overdue_steps('2001-01-01T00:00:00Z', 1)`,
      sql`select app.remind_expiring_preservations('2001-01-01T00:00:00Z', 1)`,
      sql`select count(*) from app.audit_heads_to_checkpoint(1)`,
      sql`select app.record_audit_checkpoints('[]'::jsonb)`,
    ]) {
      await expect(run(atStation(tenant, 0), sweep)).rejects.toMatchObject({ code: '42501' });
      await expect(run(atUnit(tenant), sweep)).rejects.toMatchObject({ code: '42501' });
      await expect(run({ level: 'platform' }, sweep)).rejects.toMatchObject({ code: '42501' });
      expect(await run(null, sweep)).toHaveLength(1);
    }
  });
});

