import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';

export interface RoutingRuleInput {
  name: string;
  priority: number;
  active: boolean;
  minAmountPaid: string | null;
  minAmountDemanded: string | null;
  victimIsMinor: boolean | null;
  imagesCirculated: boolean | null;
  platformsAny: string[] | null;
  targetStationCode: string;
}

export type RoutingRuleRow = Omit<RoutingRuleInput, 'minAmountPaid' | 'minAmountDemanded'> & {
  id: string;
  minAmountPaid: string | number | null;
  minAmountDemanded: string | number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

const ruleColumns = sql.raw(`r.id, r.name, r.priority, r.active, r.min_amount_paid as "minAmountPaid", r.min_amount_demanded as "minAmountDemanded",
  r.victim_is_minor as "victimIsMinor", r.images_circulated as "imagesCirculated", r.platforms_any as "platformsAny",
  r.target_station_code as "targetStationCode", r.version, r.created_at as "createdAt", r.updated_at as "updatedAt"`);

const textArray = (values: string[] | null) => (values === null ? null : `{${values.map((value) => JSON.stringify(value)).join(',')}}`);

export function listRoutingRules(db: HttpDatabase, unitCode: string) {
  return db.execute<RoutingRuleRow>(sql`
    select ${ruleColumns} from routing_rules r join units u on u.id = r.unit_id where u.code = ${unitCode} order by r.priority, r.id`);
}

/** The target must be a station of the same unit (the foreign key holds it to that). */
export function createRoutingRule(db: HttpDatabase, actor: AuditActor, unitCode: string, rule: RoutingRuleInput) {
  return db.execute<RoutingRuleRow>(sql`
    with changed as (
      insert into routing_rules as r (unit_id, name, priority, active, min_amount_paid, min_amount_demanded, victim_is_minor, images_circulated,
                                      platforms_any, target_station_id, target_district_id, target_station_code)
      select u.id, ${rule.name}, ${rule.priority}, ${rule.active}, ${rule.minAmountPaid}::numeric, ${rule.minAmountDemanded}::numeric,
             ${rule.victimIsMinor}::boolean, ${rule.imagesCirculated}::boolean, ${textArray(rule.platformsAny)}::text[], s.id, s.district_id, s.code
        from units u join stations s on s.unit_id = u.id and s.code = ${rule.targetStationCode}
       where u.code = ${unitCode}
      returning ${ruleColumns}, r.unit_id
    )${auditChangedRows(actor, { action: 'routing_rule.created', targetType: 'routing_rule', targetColumn: 'id', changes: { ...rule } })}`);
}

export function findRoutingRule(db: HttpDatabase, unitCode: string, ruleId: string) {
  return db.execute<{ id: string }>(sql`
    select r.id from routing_rules r join units u on u.id = r.unit_id where u.code = ${unitCode} and r.id = ${ruleId}`);
}

/** A target station outside the unit leaves the target empty, which the NOT NULL constraint refuses (422). */
export function updateRoutingRule(
  db: HttpDatabase,
  actor: AuditActor,
  unitCode: string,
  ruleId: string,
  changes: Partial<RoutingRuleInput>,
  expected: number[] | null,
) {
  const has = (field: keyof RoutingRuleInput) => field in changes;
  return db.execute<RoutingRuleRow>(sql`
    with target as (
      select s.id, s.district_id, s.code from stations s join units u on u.id = s.unit_id
       where u.code = ${unitCode} and s.code = ${changes.targetStationCode ?? null}
    ), changed as (
      update routing_rules r
         set name = coalesce(${changes.name ?? null}, r.name),
             priority = coalesce(${changes.priority ?? null}::int, r.priority),
             active = coalesce(${changes.active ?? null}::boolean, r.active),
             min_amount_paid = case when ${has('minAmountPaid')} then ${changes.minAmountPaid ?? null}::numeric else r.min_amount_paid end,
             min_amount_demanded = case when ${has('minAmountDemanded')} then ${changes.minAmountDemanded ?? null}::numeric else r.min_amount_demanded end,
             victim_is_minor = case when ${has('victimIsMinor')} then ${changes.victimIsMinor ?? null}::boolean else r.victim_is_minor end,
             images_circulated = case when ${has('imagesCirculated')} then ${changes.imagesCirculated ?? null}::boolean else r.images_circulated end,
             platforms_any = case when ${has('platformsAny')} then ${textArray(changes.platformsAny ?? null)}::text[] else r.platforms_any end,
             target_station_id = case when ${has('targetStationCode')} then (select id from target) else r.target_station_id end,
             target_district_id = case when ${has('targetStationCode')} then (select district_id from target) else r.target_district_id end,
             target_station_code = case when ${has('targetStationCode')} then (select code from target) else r.target_station_code end,
             version = r.version + 1,
             updated_at = app.now()
        from units u
       where u.id = r.unit_id and u.code = ${unitCode} and r.id = ${ruleId}
         and ${expected === null ? sql`true` : sql`r.version = any(${`{${expected.join(',')}}`}::int[])`}
      returning ${ruleColumns}, r.unit_id
    )${auditChangedRows(actor, { action: 'routing_rule.updated', targetType: 'routing_rule', targetColumn: 'id', changes })}`);
}

export function deleteRoutingRule(db: HttpDatabase, actor: AuditActor, unitCode: string, ruleId: string, expected: number[] | null) {
  return db.execute<{ id: string; version: number }>(sql`
    with changed as (
      delete from routing_rules r using units u
       where u.id = r.unit_id and u.code = ${unitCode} and r.id = ${ruleId}
         and ${expected === null ? sql`true` : sql`r.version = any(${`{${expected.join(',')}}`}::int[])`}
      returning r.id, r.version, r.unit_id
    )${auditChangedRows(actor, { action: 'routing_rule.deleted', targetType: 'routing_rule', targetColumn: 'id', changes: {} })}`);
}
