import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';
import type { districts, stations, units } from '../schema.js';

type Stamps = 'version' | 'createdAt' | 'updatedAt';
export type UnitRow = Pick<typeof units.$inferSelect, 'code' | 'name' | Stamps>;
export type DistrictRow = Pick<typeof districts.$inferSelect, 'code' | 'name' | 'kind' | Stamps> & { unitCode: string };
export type StationRow = Pick<typeof stations.$inferSelect, 'code' | 'name' | 'isCyberCrimeStation' | Stamps> & {
  districtCode: string;
  districtName: string;
  unitCode: string;
};

const unitColumns = sql`code, name, version, created_at as "createdAt", updated_at as "updatedAt"`;

export function listUnits(db: HttpDatabase, page: { afterCode?: string; limit: number }) {
  return db.execute<UnitRow>(sql`
    select ${unitColumns} from units
     where ${page.afterCode ?? null}::text is null or code > ${page.afterCode ?? null}
     order by code limit ${page.limit + 1}`);
}

export function findUnit(db: HttpDatabase, unitCode: string) {
  return db.execute<UnitRow>(sql`select ${unitColumns} from units where code = ${unitCode}`);
}

export function createUnit(db: HttpDatabase, actor: AuditActor, unit: { code: string; name: string }) {
  return db.execute<UnitRow & { id: string }>(sql`
    with changed as (
      insert into units (code, name) values (${unit.code}, ${unit.name})
      returning id, id as unit_id, ${unitColumns}
    )${auditChangedRows(actor, { action: 'unit.created', targetType: 'unit', targetColumn: 'code', changes: unit })}`);
}

const districtColumns = sql`d.code, d.name, d.kind, u.code as "unitCode", d.version, d.created_at as "createdAt", d.updated_at as "updatedAt"`;

export function listDistricts(db: HttpDatabase, unitCode: string, page: { afterCode?: string; limit: number }) {
  return db.execute<DistrictRow>(sql`
    select ${districtColumns} from districts d join units u on u.id = d.unit_id
     where u.code = ${unitCode} and (${page.afterCode ?? null}::text is null or d.code > ${page.afterCode ?? null})
     order by d.code limit ${page.limit + 1}`);
}

export function createDistrict(db: HttpDatabase, actor: AuditActor, unitCode: string, district: { code: string; name: string; kind: string }) {
  return db.execute<DistrictRow>(sql`
    with changed as (
      insert into districts (unit_id, code, name, kind)
      select u.id, ${district.code}, ${district.name}, ${district.kind} from units u where u.code = ${unitCode}
      returning unit_id, code, name, kind, ${unitCode}::text as "unitCode", version, created_at as "createdAt", updated_at as "updatedAt"
    )${auditChangedRows(actor, { action: 'district.created', targetType: 'district', targetColumn: 'code', changes: district })}`);
}

export function findDistrict(db: HttpDatabase, unitCode: string, districtCode: string) {
  return db.execute<DistrictRow>(sql`
    select ${districtColumns} from districts d join units u on u.id = d.unit_id where u.code = ${unitCode} and d.code = ${districtCode}`);
}

export function updateDistrict(
  db: HttpDatabase,
  actor: AuditActor,
  unitCode: string,
  districtCode: string,
  changes: { name?: string; kind?: string },
  expectedVersion: number[] | null,
) {
  return db.execute<DistrictRow>(sql`
    with changed as (
      update districts d
         set name = coalesce(${changes.name ?? null}, d.name), kind = coalesce(${changes.kind ?? null}, d.kind),
             updated_at = app.now(), version = d.version + 1
        from units u
       where u.id = d.unit_id and u.code = ${unitCode} and d.code = ${districtCode}
         and (${expectedVersion === null} or d.version = any(${`{${(expectedVersion ?? []).join(',')}}`}::int[]))
      returning d.unit_id, d.code, d.name, d.kind, u.code as "unitCode", d.version, d.created_at as "createdAt", d.updated_at as "updatedAt"
    )${auditChangedRows(actor, { action: 'district.updated', targetType: 'district', targetColumn: 'code', changes })}`);
}

export function createStation(
  db: HttpDatabase,
  actor: AuditActor,
  unitCode: string,
  station: { code: string; name: string; districtCode: string; isCyberCrimeStation: boolean },
) {
  return db.execute<StationRow>(sql`
    with changed as (
      insert into stations (unit_id, district_id, code, name, is_cyber_crime_station)
      select d.unit_id, d.id, ${station.code}, ${station.name}, ${station.isCyberCrimeStation}
        from districts d join units u on u.id = d.unit_id
       where u.code = ${unitCode} and d.code = ${station.districtCode}
      returning unit_id, code, name, is_cyber_crime_station as "isCyberCrimeStation", ${station.districtCode}::text as "districtCode",
                (select name from districts where id = district_id) as "districtName",
                ${unitCode}::text as "unitCode", version, created_at as "createdAt", updated_at as "updatedAt"
    )${auditChangedRows(actor, { action: 'station.created', targetType: 'station', targetColumn: 'code', changes: station })}`);
}

export function updateStation(
  db: HttpDatabase,
  actor: AuditActor,
  unitCode: string,
  stationCode: string,
  changes: { name?: string; isCyberCrimeStation?: boolean },
  expectedVersion: number[] | null,
) {
  return db.execute<StationRow>(sql`
    with changed as (
      update stations s
         set name = coalesce(${changes.name ?? null}, s.name),
             is_cyber_crime_station = coalesce(${changes.isCyberCrimeStation ?? null}::boolean, s.is_cyber_crime_station),
             updated_at = app.now(), version = s.version + 1
        from units u, districts d
       where u.id = s.unit_id and d.id = s.district_id and u.code = ${unitCode} and s.code = ${stationCode}
         and (${expectedVersion === null} or s.version = any(${`{${(expectedVersion ?? []).join(',')}}`}::int[]))
      returning s.unit_id, s.code, s.name, s.is_cyber_crime_station as "isCyberCrimeStation", d.code as "districtCode",
                d.name as "districtName", u.code as "unitCode", s.version, s.created_at as "createdAt", s.updated_at as "updatedAt"
    )${auditChangedRows(actor, { action: 'station.updated', targetType: 'station', targetColumn: 'code', changes })}`);
}

export function findStation(db: HttpDatabase, unitCode: string, stationCode: string) {
  return db.execute<{ code: string }>(sql`
    select s.code from stations s join units u on u.id = s.unit_id where u.code = ${unitCode} and s.code = ${stationCode}`);
}
