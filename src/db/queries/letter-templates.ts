import { sql } from 'drizzle-orm';
import { REQUEST_KINDS, type RequestKind } from '../../requests/request-workflow.js';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';
import type { letterTemplates } from '../schema.js';

/**
 * The letters a unit's requests are drafted from: one shipped template per request kind
 * (unit_id NULL) with the unit's own overriding it kind by kind, as the drafting of a request
 * reads them (requestDraftingFacts). Writes touch only the unit's own rows, so deleting one
 * falls back to the shipped template.
 */

export type LetterTemplateRow = Pick<typeof letterTemplates.$inferSelect, 'body' | 'version' | 'updatedAt'> & {
  kind: RequestKind;
  source: 'shipped' | 'unit';
};

const templateColumns = (t: string) =>
  sql.raw(`${t}.request_kind as kind, ${t}.body, case when ${t}.unit_id is null then 'shipped' else 'unit' end as source,
  ${t}.version, ${t}.updated_at as "updatedAt"`);

const knownKinds = `{${REQUEST_KINDS.join(',')}}`;

const versionIn = (expected: number[] | null) => (expected === null ? sql`true` : sql`t.version = any(${`{${expected.join(',')}}`}::int[])`);

/** The merged templates of a unit, one per kind, by kind. */
export function listLetterTemplates(db: HttpDatabase, unitCode: string) {
  return db.execute<LetterTemplateRow>(sql`
    select ${templateColumns('d')}
      from (select distinct on (t.request_kind) t.*
              from letter_templates t join units u on u.code = ${unitCode}
             where (t.unit_id is null or t.unit_id = u.id) and t.request_kind = any(${knownKinds}::text[])
             order by t.request_kind, t.unit_id nulls last) d
     order by d.request_kind`);
}

/** One merged template: the unit's own for the kind, else the shipped one. */
export function findLetterTemplate(db: HttpDatabase, unitCode: string, kind: RequestKind) {
  return db.execute<LetterTemplateRow>(sql`
    select ${templateColumns('t')}
      from letter_templates t join units u on u.code = ${unitCode}
     where t.request_kind = ${kind} and (t.unit_id is null or t.unit_id = u.id)
     order by t.unit_id nulls last
     limit 1`);
}

/** The unit's own template for a kind, if it has one: tells 412 from 404 when a write matched nothing. */
export function findUnitLetterTemplate(db: HttpDatabase, unitCode: string, kind: RequestKind) {
  return db.execute<{ kind: string; version: number }>(sql`
    select t.request_kind as kind, t.version from letter_templates t join units u on u.id = t.unit_id where u.code = ${unitCode} and t.request_kind = ${kind}`);
}

/** The unit's own template, unless it has one already (then nothing: replacing needs If-Match). */
export function createUnitLetterTemplate(db: HttpDatabase, actor: AuditActor, unitCode: string, kind: RequestKind, body: string) {
  return db.execute<LetterTemplateRow>(sql`
    with changed as (
      insert into letter_templates as t (unit_id, request_kind, body)
      select u.id, ${kind}, ${body} from units u where u.code = ${unitCode}
      on conflict (unit_id, request_kind) where unit_id is not null do nothing
      returning ${templateColumns('t')}, t.unit_id
    )${auditChangedRows(actor, { action: 'letter_template.created', targetType: 'letter_template', targetColumn: 'kind', changes: { kind, body } })}`);
}

/** Replaces the unit's own template if its version is one of `expected` (any, for null). */
export function replaceUnitLetterTemplate(db: HttpDatabase, actor: AuditActor, unitCode: string, kind: RequestKind, body: string, expected: number[] | null) {
  return db.execute<LetterTemplateRow>(sql`
    with changed as (
      update letter_templates t
         set body = ${body}, version = t.version + 1, updated_at = app.now()
        from units u
       where u.id = t.unit_id and u.code = ${unitCode} and t.request_kind = ${kind} and ${versionIn(expected)}
      returning ${templateColumns('t')}, t.unit_id
    )${auditChangedRows(actor, { action: 'letter_template.replaced', targetType: 'letter_template', targetColumn: 'kind', changes: { kind, body } })}`);
}

export function deleteUnitLetterTemplate(db: HttpDatabase, actor: AuditActor, unitCode: string, kind: RequestKind, expected: number[] | null) {
  return db.execute<{ kind: string; version: number }>(sql`
    with changed as (
      delete from letter_templates t using units u
       where u.id = t.unit_id and u.code = ${unitCode} and t.request_kind = ${kind} and ${versionIn(expected)}
      returning t.request_kind as kind, t.version, t.unit_id
    )${auditChangedRows(actor, {
      action: 'letter_template.deleted',
      targetType: 'letter_template',
      targetColumn: 'kind',
      changes: sql`jsonb_build_object('kind', changed.kind, 'version', changed.version)`,
    })}`);
}
