import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';

/**
 * The directory of platforms and other bodies a unit contacts: the shipped rows (unit_id
 * NULL) with the unit's own rows overriding them key by key. Reads see the merged view;
 * writes touch only the unit's own rows, so deleting one falls back to the shipped entry.
 */

export type PlatformChannel = { kind: 'portal' | 'email' | 'phone' | 'post' | 'other'; address: string; notes?: string };

export type PlatformEntryInput = {
  name: string;
  category: string;
  channels: PlatformChannel[];
  requiredFields: string[];
  turnaroundHours: number | null;
  preservationDays: number | null;
  notes: string;
};

export type PlatformEntryRow = PlatformEntryInput & {
  key: string;
  source: 'shipped' | 'unit';
  overridesShipped: boolean;
  version: number;
  updatedAt: string;
};

const entryColumns = (d: string) =>
  sql.raw(`${d}.key, ${d}.name, ${d}.category, ${d}.channels, ${d}.required_fields as "requiredFields", ${d}.turnaround_hours as "turnaroundHours",
  ${d}.preservation_days as "preservationDays", ${d}.notes, case when ${d}.unit_id is null then 'shipped' else 'unit' end as source,
  (${d}.unit_id is not null and exists (select 1 from platform_directory s where s.unit_id is null and s.key = ${d}.key)) as "overridesShipped",
  ${d}.version, ${d}.updated_at as "updatedAt"`);

const textArray = (values: string[]) => `{${values.map((value) => JSON.stringify(value)).join(',')}}`;

/** The merged entries of a unit, by key; keyset on the key. */
export function listPlatforms(db: HttpDatabase, unitCode: string, page: { afterKey?: string; limit: number }) {
  return db.execute<PlatformEntryRow>(sql`
    select ${entryColumns('d')}
      from (select distinct on (p.key) p.*
              from platform_directory p join units u on u.code = ${unitCode}
             where (p.unit_id is null or p.unit_id = u.id) and p.key > ${page.afterKey ?? ''}
             order by p.key, p.unit_id nulls last) d
     order by d.key
     limit ${page.limit + 1}`);
}

/** One merged entry: the unit's own, else the shipped one. */
export function findPlatform(db: HttpDatabase, unitCode: string, key: string) {
  return db.execute<PlatformEntryRow>(sql`
    select ${entryColumns('p')}
      from platform_directory p join units u on u.code = ${unitCode}
     where p.key = ${key} and (p.unit_id is null or p.unit_id = u.id)
     order by p.unit_id nulls last
     limit 1`);
}

/** The unit's own entry for a key, if it has one: tells 412 from 404 when a write matched nothing. */
export function findUnitPlatform(db: HttpDatabase, unitCode: string, key: string) {
  return db.execute<{ key: string; version: number }>(sql`
    select p.key, p.version from platform_directory p join units u on u.id = p.unit_id where u.code = ${unitCode} and p.key = ${key}`);
}

/** The unit's own entry, unless it has one already (then nothing: replacing needs If-Match). */
export function createUnitPlatform(db: HttpDatabase, actor: AuditActor, unitCode: string, key: string, entry: PlatformEntryInput) {
  return db.execute<PlatformEntryRow>(sql`
    with changed as (
      insert into platform_directory as p (unit_id, key, name, category, channels, required_fields, turnaround_hours, preservation_days, notes)
      select u.id, ${key}, ${entry.name}, ${entry.category}, ${JSON.stringify(entry.channels)}::jsonb, ${textArray(entry.requiredFields)}::text[],
             ${entry.turnaroundHours}::int, ${entry.preservationDays}::int, ${entry.notes}
        from units u where u.code = ${unitCode}
      on conflict (unit_id, key) where unit_id is not null do nothing
      returning ${entryColumns('p')}, p.unit_id
    )${auditChangedRows(actor, { action: 'platform.created', targetType: 'platform', targetColumn: 'key', changes: { key, ...entry } })}`);
}

/** Replaces the unit's own entry if its version is one of `expected` (any, for null). */
export function replaceUnitPlatform(db: HttpDatabase, actor: AuditActor, unitCode: string, key: string, entry: PlatformEntryInput, expected: number[] | null) {
  return db.execute<PlatformEntryRow>(sql`
    with changed as (
      update platform_directory p
         set name = ${entry.name}, category = ${entry.category}, channels = ${JSON.stringify(entry.channels)}::jsonb,
             required_fields = ${textArray(entry.requiredFields)}::text[], turnaround_hours = ${entry.turnaroundHours}::int,
             preservation_days = ${entry.preservationDays}::int, notes = ${entry.notes}, version = p.version + 1, updated_at = app.now()
        from units u
       where u.id = p.unit_id and u.code = ${unitCode} and p.key = ${key}
         and ${expected === null ? sql`true` : sql`p.version = any(${`{${expected.join(',')}}`}::int[])`}
      returning ${entryColumns('p')}, p.unit_id
    )${auditChangedRows(actor, { action: 'platform.replaced', targetType: 'platform', targetColumn: 'key', changes: { key, ...entry } })}`);
}

export function deleteUnitPlatform(db: HttpDatabase, actor: AuditActor, unitCode: string, key: string, expected: number[] | null) {
  return db.execute<{ key: string; version: number }>(sql`
    with changed as (
      delete from platform_directory p using units u
       where u.id = p.unit_id and u.code = ${unitCode} and p.key = ${key}
         and ${expected === null ? sql`true` : sql`p.version = any(${`{${expected.join(',')}}`}::int[])`}
      returning p.key, p.version, p.unit_id
    )${auditChangedRows(actor, { action: 'platform.deleted', targetType: 'platform', targetColumn: 'key', changes: sql`jsonb_build_object('key', changed.key, 'version', changed.version)` })}`);
}
