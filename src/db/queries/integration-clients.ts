import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';
import type { integrationClients } from '../schema.js';

export type IntegrationClientRow = Pick<typeof integrationClients.$inferSelect, 'clientId' | 'name' | 'roles' | 'scopes' | 'version' | 'createdAt' | 'updatedAt'> & {
  unitCode: string;
  districtCode: string | null;
  stationCode: string | null;
  disabled: boolean;
  rotationOverlapEndsAt: string | null;
};

export type ClientCredentialRecord = {
  secretHash: string;
  /** The secret a rotation replaced, while its overlap lasts. */
  previousSecretHash: string | null;
  roles: string[];
  scopes: string[];
  unitCode: string;
  districtCode: string | null;
  stationCode: string | null;
  disabled: boolean;
};

const clientColumns = sql.raw(`c.client_id as "clientId", c.name, c.roles, c.scopes,
  (select code from districts where id = c.district_id) as "districtCode",
  (select code from stations where id = c.station_id) as "stationCode",
  c.disabled_at is not null as disabled,
  case when c.previous_secret_expires_at > app.now() then c.previous_secret_expires_at end as "rotationOverlapEndsAt", c.version, c.created_at as "createdAt", c.updated_at as "updatedAt"`);

/** Runs before the caller is known, so through the definer function rather than the table. */
export function lookUpClientCredentials(db: HttpDatabase, clientId: string) {
  return db.execute<ClientCredentialRecord>(sql`
    select secret_hash as "secretHash", previous_secret_hash as "previousSecretHash", roles, scopes, unit_code as "unitCode",
           district_code as "districtCode", station_code as "stationCode", disabled
      from app.client_credentials(${clientId})`);
}

export function listIntegrationClients(db: HttpDatabase, unitCode: string, page: { afterCreated?: string; limit: number }) {
  return db.execute<IntegrationClientRow>(sql`
    select ${clientColumns}, u.code as "unitCode"
      from integration_clients c join units u on u.id = c.unit_id
     where u.code = ${unitCode} and (${page.afterCreated ?? null}::text is null or c.client_id > ${page.afterCreated ?? null})
     order by c.client_id limit ${page.limit + 1}`);
}

export interface NewIntegrationClient {
  clientId: string;
  secretHash: string;
  name: string;
  roles: string[];
  scopes: string[];
  districtCode: string | null;
  stationCode: string | null;
}

/** The district or station, if named, must belong to the unit; otherwise nothing is created. */
export function createIntegrationClient(db: HttpDatabase, actor: AuditActor, unitCode: string, client: NewIntegrationClient) {
  const { secretHash: _secret, ...audited } = client;
  return db.execute<IntegrationClientRow>(sql`
    with placement as (
      select u.id as unit_id,
             (select d.id from districts d where d.unit_id = u.id and d.code = ${client.districtCode}) as district_id,
             (select s.id from stations s where s.unit_id = u.id and s.code = ${client.stationCode}) as station_id
        from units u where u.code = ${unitCode}
    ), changed as (
      insert into integration_clients as c (unit_id, district_id, station_id, client_id, name, secret_hash, roles, scopes)
      select unit_id, district_id, station_id, ${client.clientId}, ${client.name}, ${client.secretHash},
             ${`{${client.roles.join(',')}}`}::text[], ${`{${client.scopes.join(',')}}`}::text[]
        from placement
       where (${client.districtCode}::text is null or district_id is not null)
         and (${client.stationCode}::text is null or station_id is not null)
      returning ${clientColumns}, c.unit_id, ${unitCode}::text as "unitCode"
    )${auditChangedRows(actor, { action: 'client.created', targetType: 'client', targetColumn: 'clientId', changes: audited })}`);
}

/** How a secret changes: replaced (the old one still valid for the overlap), or the old one revoked before its overlap ends. */
export type SecretChange = { rotateTo: string; overlapSeconds: number } | { revokePrevious: true };

export function updateIntegrationClient(
  db: HttpDatabase,
  actor: AuditActor,
  unitCode: string,
  clientId: string,
  changes: { name?: string; scopes?: string[]; disabled?: boolean; secret?: SecretChange },
  expectedVersion: number[] | null,
  action = 'client.updated',
) {
  const { secret, ...audited } = changes;
  const rotateTo = secret && 'rotateTo' in secret ? secret.rotateTo : null;
  const overlapSeconds = secret && 'rotateTo' in secret ? secret.overlapSeconds : 0;
  const revokePrevious = secret !== undefined && 'revokePrevious' in secret;
  const overlapEnds = sql`app.now() + make_interval(secs => ${overlapSeconds}::int)`;
  const auditedSecret = rotateTo ? { secret: 'rotated', previousSecretValidForSeconds: overlapSeconds } : revokePrevious ? { previousSecret: 'revoked' } : {};
  return db.execute<IntegrationClientRow>(sql`
    with changed as (
      update integration_clients c
         set name = coalesce(${changes.name ?? null}, c.name),
             scopes = coalesce(${changes.scopes ? `{${changes.scopes.join(',')}}` : null}::text[], c.scopes),
             disabled_at = case when ${changes.disabled ?? null}::boolean is null then c.disabled_at
                                when ${changes.disabled ?? null}::boolean then coalesce(c.disabled_at, app.now()) else null end,
             secret_hash = coalesce(${rotateTo}, c.secret_hash),
             previous_secret_hash = case when ${rotateTo}::text is not null then case when ${overlapSeconds}::int > 0 then c.secret_hash end
                                         when ${revokePrevious} then null else c.previous_secret_hash end,
             previous_secret_expires_at = case when ${rotateTo}::text is not null then case when ${overlapSeconds}::int > 0 then ${overlapEnds} end
                                               when ${revokePrevious} then null else c.previous_secret_expires_at end,
             updated_at = app.now(), version = c.version + 1
        from units u
       where u.id = c.unit_id and u.code = ${unitCode} and c.client_id = ${clientId}
         and (${expectedVersion === null} or c.version = any(${`{${(expectedVersion ?? []).join(',')}}`}::int[]))
      returning ${clientColumns}, c.unit_id, u.code as "unitCode"
    )${auditChangedRows(actor, { action, targetType: 'client', targetColumn: 'clientId', changes: { ...audited, ...auditedSecret } })}`);
}

export function findIntegrationClient(db: HttpDatabase, unitCode: string, clientId: string) {
  return db.execute<{ clientId: string }>(sql`
    select c.client_id as "clientId" from integration_clients c join units u on u.id = c.unit_id
     where u.code = ${unitCode} and c.client_id = ${clientId}`);
}
