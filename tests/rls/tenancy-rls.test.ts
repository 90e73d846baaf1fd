import { neon } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { stations, units } from '../../src/db/schema.js';
import { createTenantRunner } from '../../src/db/tenant-runner.js';
import type { TenantScope } from '../../src/tenancy/scope.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { createTestTenant } from '../support/tenants.js';

/** Raw statements as the app role, through the real runner: no handler code in between. */
function asAppRole(scope: TenantScope | null) {
  return createTenantRunner(appConfig(), scope);
}

const visibleStationCodes = sql<string>`select code from stations order by code`;

async function stationCodesOverHttp(scope: TenantScope | null): Promise<string[]> {
  const [result] = await asAppRole(scope).batch((db) => [db.execute<{ code: string }>(visibleStationCodes)]);
  return result.rows.map((row) => row.code);
}

async function stationCodesOverWebSocket(scope: TenantScope | null): Promise<string[]> {
  return asAppRole(scope).transaction(async (tx) => {
    const result = await tx.execute<{ code: string }>(visibleStationCodes);
    return result.rows.map((row) => row.code);
  });
}

describe.each([
  ['HTTP batch', stationCodesOverHttp],
  ['WebSocket transaction', stationCodesOverWebSocket],
])('row-level security over %s', (_transport, visibleStations) => {
  it('shows nothing without a tenant context', async () => {
    await createTestTenant();
    expect(await visibleStations(null)).toEqual([]);
  });

  it("never shows unit A's context a row of unit B", async () => {
    const [unitA, unitB] = await Promise.all([createTestTenant(), createTestTenant()]);
    const seen = await visibleStations({ level: 'unit', unitCode: unitA.unitCode });
    expect(seen).toEqual([...unitA.stationCodes].sort());
    expect(seen.filter((code) => code.startsWith(unitB.unitCode))).toEqual([]);
  });

  it('narrows a district context to its district and a station context to its station', async () => {
    const tenant = await createTestTenant();
    expect(await visibleStations({ level: 'district', unitCode: tenant.unitCode, districtCode: tenant.districtCodes[0] })).toEqual(
      tenant.stationCodes.slice(0, 2),
    );
    expect(await visibleStations({ level: 'station', unitCode: tenant.unitCode, stationCode: tenant.stationCodes[2] })).toEqual([
      tenant.stationCodes[2],
    ]);
  });

  it('refuses a context whose codes do not nest, and shows it nothing', async () => {
    const [unitA, unitB] = await Promise.all([createTestTenant(), createTestTenant()]);
    await expect(visibleStations({ level: 'station', unitCode: unitA.unitCode, stationCode: unitB.stationCodes[0] })).rejects.toThrow();
    await expect(visibleStations({ level: 'district', unitCode: unitA.unitCode, districtCode: unitB.districtCodes[0] })).rejects.toThrow();
  });
});

describe('writes under row-level security', () => {
  it('cannot insert without a context', async () => {
    const runner = asAppRole(null);
    await expect(
      runner.batch((db) => [db.insert(units).values({ code: `X${crypto.randomUUID().slice(0, 8).toUpperCase()}`, name: 'Rogue unit' })]),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('cannot insert without a context over a WebSocket transaction either', async () => {
    await expect(
      asAppRole(null).transaction((tx) => tx.insert(units).values({ code: `X${crypto.randomUUID().slice(0, 8).toUpperCase()}`, name: 'Rogue unit' })),
    ).rejects.toMatchObject({ cause: { code: '42501' } });
  });

  it('cannot change a tenancy code, which tokens name', async () => {
    const tenant = await createTestTenant();
    const runner = asAppRole({ level: 'unit', unitCode: tenant.unitCode });
    await expect(
      runner.batch((db) => [db.update(stations).set({ code: `${tenant.districtCodes[0]}-RENAMED` }).where(sql`code = ${tenant.stationCodes[0]}`)]),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it("cannot insert a station into another unit, nor move one there", async () => {
    const [unitA, unitB] = await Promise.all([createTestTenant(), createTestTenant()]);
    const runner = asAppRole({ level: 'unit', unitCode: unitA.unitCode });
    const owner = openHttpDatabase(ownerConfig());
    const [foreignStation] = await owner.select().from(stations).where(sql`code = ${unitB.stationCodes[0]}`);
    await expect(
      runner.batch((db) => [
        db.insert(stations).values({
          unitId: foreignStation!.unitId,
          districtId: foreignStation!.districtId,
          code: `${unitB.districtCodes[0]}-PLANTED`,
          name: 'Planted station',
        }),
      ]),
    ).rejects.toMatchObject({ code: '42501' });
    const [updated] = await runner.batch((db) => [
      db.update(stations).set({ name: 'Renamed from outside' }).where(sql`code = ${unitB.stationCodes[0]}`).returning(),
    ]);
    expect(updated).toEqual([]);
  });

  it('a station officer cannot write tenancy rows at all', async () => {
    const tenant = await createTestTenant();
    const runner = asAppRole({ level: 'station', unitCode: tenant.unitCode, stationCode: tenant.stationCodes[0] });
    const [updated] = await runner.batch((db) => [
      db.update(stations).set({ name: 'Renamed by an officer' }).where(sql`code = ${tenant.stationCodes[0]}`).returning(),
    ]);
    expect(updated).toEqual([]);
  });
});

describe('the roles themselves', () => {
  it('the login role has no privileges of its own: without switching to the app role it reads nothing', async () => {
    const config = appConfig();
    openHttpDatabase(config);
    const raw = neon(config.DATABASE_URL);
    await expect(raw.query('select count(*) from stations')).rejects.toMatchObject({ code: '42501' });
  });

  it('every public table has row-level security enabled and forced, with policies, and the app role owns none', async () => {
    const owner = openHttpDatabase(ownerConfig());
    const { rows } = await owner.execute<{ table: string; enabled: boolean; forced: boolean; policies: number; owner: string }>(sql`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies,
             pg_get_userbyid(c.relowner) as owner
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p')
       order by c.relname`);
    expect(rows.map((row) => row.table)).toEqual(expect.arrayContaining(['districts', 'stations', 'units']));
    for (const row of rows) {
      expect(row, row.table).toMatchObject({ enabled: true, forced: true });
      expect(row.policies, row.table).toBeGreaterThan(0);
      expect(row.owner, row.table).not.toBe('sextortion_app');
    }
  });

  it('the app role is neither a superuser nor able to bypass row-level security', async () => {
    const owner = openHttpDatabase(ownerConfig());
    const { rows } = await owner.execute<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
      sql`select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'sextortion_app'`,
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
  });
});
