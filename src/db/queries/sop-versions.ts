import { sql } from 'drizzle-orm';
import type { SopLayer } from '../../sop/step-definition.js';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';
import type { sopVersions } from '../schema.js';

export type SopVersionRow = Pick<typeof sopVersions.$inferSelect, 'id' | 'number' | 'title' | 'notes' | 'createdBy' | 'createdAt' | 'publishedAt' | 'publishedBy' | 'version'> & {
  layer: SopLayer;
  status: 'draft' | 'published';
  body: Record<string, unknown>;
  unitCode: string | null;
  stationCode: string | null;
  unit_id?: string | null;
};

const versionColumns = sql.raw(`v.id, v.layer, (select code from units where id = v.unit_id) as "unitCode",
  (select code from stations where id = v.station_id) as "stationCode", v.number, v.status, v.title, v.notes, v.body,
  v.created_by as "createdBy", v.created_at as "createdAt", v.published_at as "publishedAt", v.published_by as "publishedBy", v.version`);

export function listSopVersions(db: HttpDatabase, filter: { layer?: SopLayer; status?: 'draft' | 'published' }) {
  return db.execute<SopVersionRow>(sql`
    select ${versionColumns} from sop_versions v
     where true ${filter.layer ? sql`and v.layer = ${filter.layer}` : sql``} ${filter.status ? sql`and v.status = ${filter.status}` : sql``}
     order by v.layer, v.unit_id nulls first, v.station_id nulls first, v.number desc nulls first, v.id desc
     limit 500`);
}

export function findSopVersion(db: HttpDatabase, id: string) {
  return db.execute<SopVersionRow>(sql`select ${versionColumns} from sop_versions v where v.id = ${id}`);
}

/** The base ships with the product as a migration (its changes belong to no unit's audit chain); units and stations draft theirs here. */
export interface SopDraft {
  layer: 'unit' | 'station';
  unitCode: string | null;
  stationCode: string | null;
  title: string;
  notes: string;
  body: unknown;
}

/** A new draft of the caller's layer; row-level security decides who may write which layer. */
export function createSopDraft(db: HttpDatabase, actor: AuditActor, draft: SopDraft) {
  const owner =
    draft.layer === 'unit'
      ? sql`select u.id as unit_id, null::uuid as district_id, null::uuid as station_id from units u where u.code = ${draft.unitCode}`
      : sql`select s.unit_id, s.district_id, s.id as station_id from stations s where s.code = ${draft.stationCode}`;
  return db.execute<SopVersionRow>(sql`
    with owner as (${owner}), changed as (
      insert into sop_versions as v (layer, unit_id, district_id, station_id, title, notes, body, created_by)
      select ${draft.layer}, owner.unit_id, owner.district_id, owner.station_id, ${draft.title}, ${draft.notes}, ${JSON.stringify(draft.body)}::jsonb,
             ${actor.principal.subject}
        from owner
      returning ${versionColumns}, v.unit_id
    )${auditChangedRows(actor, { action: 'sop.drafted', targetType: 'sop_version', targetColumn: 'id', changes: { layer: draft.layer, title: draft.title } })}`);
}

export function updateSopDraft(db: HttpDatabase, actor: AuditActor, id: string, changes: { title?: string; notes?: string; body?: unknown }, expected: number[] | null) {
  return db.execute<SopVersionRow>(sql`
    with changed as (
      update sop_versions v
         set title = coalesce(${changes.title ?? null}, v.title), notes = coalesce(${changes.notes ?? null}, v.notes),
             body = coalesce(${changes.body === undefined ? null : JSON.stringify(changes.body)}::jsonb, v.body),
             version = v.version + 1, updated_at = app.now()
       where v.id = ${id} and v.status = 'draft' ${expected === null ? sql`` : sql`and v.version = any(${`{${expected.join(',')}}`}::int[])`}
      returning ${versionColumns}, v.unit_id
    )${auditChangedRows(actor, { action: 'sop.draft_updated', targetType: 'sop_version', targetColumn: 'id', changes: { fields: Object.keys(changes) } })}`);
}

/**
 * Publishing numbers the version after the layer's last published one; a published version
 * never changes again (row-level security allows updates to drafts only).
 */
export function publishSopVersion(db: HttpDatabase, actor: AuditActor, id: string, expected: number[] | null) {
  return db.execute<SopVersionRow>(sql`
    with changed as (
      update sop_versions v
         set status = 'published', published_at = app.now(), published_by = ${actor.principal.subject}, version = v.version + 1, updated_at = app.now(),
             number = coalesce((select max(p.number) from sop_versions p
                                 where p.layer = v.layer and p.unit_id is not distinct from v.unit_id
                                   and p.station_id is not distinct from v.station_id and p.number is not null), 0) + 1
       where v.id = ${id} and v.status = 'draft' ${expected === null ? sql`` : sql`and v.version = any(${`{${expected.join(',')}}`}::int[])`}
      returning ${versionColumns}, v.unit_id
    )${auditChangedRows(actor, { action: 'sop.published', targetType: 'sop_version', targetColumn: 'id', changes: sql`jsonb_build_object('layer', changed.layer, 'number', changed.number)` })}`);
}

export type ResolvedStepRow = { key: string; step: unknown };

/**
 * The steps a version composes to: a base alone; an overlay on the newest published base; a
 * station's additions on its unit's newest published overlay and base. Computed by the same
 * SQL function that builds case checklists (app.resolved_steps).
 */
export function resolvedStepsOf(db: HttpDatabase, id: string) {
  return db.execute<ResolvedStepRow>(sql`
    with target as (select * from sop_versions where id = ${id}),
    base as (
      select case when t.layer = 'base' then t.body
                  else (select b.body from sop_versions b where b.layer = 'base' and b.status = 'published' order by b.number desc limit 1) end as body
        from target t
    ), unit as (
      select case when t.layer = 'unit' then t.body when t.layer = 'station'
                  then (select u.body from sop_versions u where u.layer = 'unit' and u.unit_id = t.unit_id and u.status = 'published' order by u.number desc limit 1)
             end as body
        from target t
    ), station as (
      select case when t.layer = 'station' then t.body end as body from target t
    )
    select r.key, r.step from base, unit, station, app.resolved_steps(base.body, unit.body, station.body) r order by r.ord`);
}

/** Each provision code, and whether any of its periods sets a time limit a deadline could take. */
export function knownProvisionCodes(db: HttpDatabase) {
  return db.execute<{ code: string; timed: boolean }>(sql`
    select code, bool_or(time_limit_minutes is not null) as timed from legal_provisions group by code`);
}
