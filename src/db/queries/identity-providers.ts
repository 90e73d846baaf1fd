import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import type { KeyCheck } from '../../auth/key-set-check.js';
import type { RoleMap } from '../../auth/role-map.js';
import { auditChangedRows, type AuditActor } from './audit.js';

/** The public client the station app signs officers in with at a provider. */
export type StationSignIn = { clientId: string; scope: string; resource: string | null };

export type IdentityProviderRecord = {
  unitCode: string;
  audience: string;
  jwksUri: string | null;
  jwks: unknown;
  algorithms: string[];
  rolesClaim: string;
  districtClaim: string;
  stationClaim: string;
  acceptIdTokens: boolean;
  audienceClaim: 'aud' | 'client_id';
  roleMap: RoleMap | null;
};

/** Runs before the caller is known, so through the definer function rather than the table. */
export function lookUpIdentityProvider(db: HttpDatabase, issuer: string) {
  return db.execute<IdentityProviderRecord>(sql`
    select unit_code as "unitCode", audience, jwks_uri as "jwksUri", jwks, algorithms,
           roles_claim as "rolesClaim", district_claim as "districtClaim", station_claim as "stationClaim",
           accept_id_tokens as "acceptIdTokens", audience_claim as "audienceClaim", role_map as "roleMap"
      from app.identity_provider(${issuer})`);
}

export type IdentityProviderRow = IdentityProviderRecord & {
  id: string;
  issuer: string;
  issuerDiscovery: boolean;
  stationSignIn: StationSignIn | null;
  keyCheck: KeyCheck | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export interface IdentityProviderInput {
  issuer: string;
  audience: string;
  jwksUri: string | null;
  jwks: unknown;
  algorithms: string[];
  rolesClaim: string;
  districtClaim: string;
  stationClaim: string;
  acceptIdTokens: boolean;
  audienceClaim: 'aud' | 'client_id';
  roleMap: RoleMap | null;
  stationSignIn: StationSignIn | null;
  /** The keys' URL came from the issuer's discovery document. */
  issuerDiscovery: boolean;
  /** What the look at the keys found when they were registered or last changed. */
  keyCheck: KeyCheck;
}

const providerColumns = sql.raw(`p.id, p.issuer, p.audience, p.jwks_uri as "jwksUri", p.jwks, p.algorithms,
  p.roles_claim as "rolesClaim", p.district_claim as "districtClaim", p.station_claim as "stationClaim",
  p.accept_id_tokens as "acceptIdTokens", p.audience_claim as "audienceClaim", p.role_map as "roleMap",
  p.issuer_discovery as "issuerDiscovery", p.key_check as "keyCheck", p.station_sign_in as "stationSignIn", p.version, p.created_at as "createdAt", p.updated_at as "updatedAt"`);

export function listIdentityProviders(db: HttpDatabase, unitCode: string) {
  return db.execute<IdentityProviderRow>(sql`
    select ${providerColumns}, u.code as "unitCode"
      from identity_providers p join units u on u.id = p.unit_id
     where u.code = ${unitCode} order by p.created_at, p.id`);
}

export function registerIdentityProvider(db: HttpDatabase, actor: AuditActor, unitCode: string, input: IdentityProviderInput) {
  return db.execute<IdentityProviderRow>(sql`
    with changed as (
      insert into identity_providers as p (unit_id, issuer, audience, jwks_uri, jwks, algorithms, roles_claim, district_claim, station_claim,
                                           accept_id_tokens, audience_claim, role_map, issuer_discovery, key_check, station_sign_in)
      select u.id, ${input.issuer}, ${input.audience}, ${input.jwksUri}, ${input.jwks === null ? null : JSON.stringify(input.jwks)}::jsonb,
             ${`{${input.algorithms.join(',')}}`}::text[], ${input.rolesClaim}, ${input.districtClaim}, ${input.stationClaim}, ${input.acceptIdTokens},
             ${input.audienceClaim}, ${input.roleMap === null ? null : JSON.stringify(input.roleMap)}::jsonb, ${input.issuerDiscovery},
             ${JSON.stringify(input.keyCheck)}::jsonb, ${input.stationSignIn === null ? null : JSON.stringify(input.stationSignIn)}::jsonb
        from units u where u.code = ${unitCode}
      returning ${providerColumns}, p.unit_id, ${unitCode}::text as "unitCode"
    )${auditChangedRows(actor, { action: 'identity_provider.registered', targetType: 'identity_provider', targetColumn: 'id', changes: auditedChanges(input) })}`);
}

/** The key check is a report, not a setting: the audit keeps its outcome and the key ids. */
function auditedChanges(changes: Partial<IdentityProviderInput>): Record<string, unknown> {
  const { keyCheck, ...settings } = changes;
  return keyCheck ? { ...settings, keyCheck: { outcome: keyCheck.outcome, kids: keyCheck.keys.map((key) => key.kid) } } : settings;
}

export function findIdentityProvider(db: HttpDatabase, unitCode: string, providerId: string) {
  return db.execute<{ id: string }>(sql`
    select p.id from identity_providers p join units u on u.id = p.unit_id where u.code = ${unitCode} and p.id = ${providerId}`);
}

export function readIdentityProvider(db: HttpDatabase, unitCode: string, providerId: string) {
  return db.execute<IdentityProviderRow>(sql`
    select ${providerColumns}, u.code as "unitCode"
      from identity_providers p join units u on u.id = p.unit_id where u.code = ${unitCode} and p.id = ${providerId}`);
}

export function updateIdentityProvider(
  db: HttpDatabase,
  actor: AuditActor,
  unitCode: string,
  providerId: string,
  changes: Partial<IdentityProviderInput>,
  expectedVersion: number[] | null,
) {
  const jwks = changes.jwks === undefined ? undefined : changes.jwks === null ? null : JSON.stringify(changes.jwks);
  const keysChanged = changes.jwksUri !== undefined || changes.jwks !== undefined;
  const keyCheck = changes.keyCheck ? JSON.stringify(changes.keyCheck) : null;
  return db.execute<IdentityProviderRow>(sql`
    with changed as (
      update identity_providers p
         set audience = coalesce(${changes.audience ?? null}, p.audience),
             jwks_uri = case when ${keysChanged} then ${changes.jwksUri ?? null} else p.jwks_uri end,
             jwks = case when ${keysChanged} then ${jwks ?? null}::jsonb else p.jwks end,
             algorithms = coalesce(${changes.algorithms ? `{${changes.algorithms.join(',')}}` : null}::text[], p.algorithms),
             roles_claim = coalesce(${changes.rolesClaim ?? null}, p.roles_claim),
             district_claim = coalesce(${changes.districtClaim ?? null}, p.district_claim),
             station_claim = coalesce(${changes.stationClaim ?? null}, p.station_claim),
             accept_id_tokens = coalesce(${changes.acceptIdTokens ?? null}::boolean, p.accept_id_tokens),
             audience_claim = coalesce(${changes.audienceClaim ?? null}, p.audience_claim),
             issuer_discovery = coalesce(${changes.issuerDiscovery ?? null}::boolean, p.issuer_discovery),
             key_check = coalesce(${keyCheck}::jsonb, p.key_check),
             role_map = case when ${changes.roleMap !== undefined} then ${changes.roleMap ? JSON.stringify(changes.roleMap) : null}::jsonb else p.role_map end,
             station_sign_in = case when ${changes.stationSignIn !== undefined} then ${changes.stationSignIn ? JSON.stringify(changes.stationSignIn) : null}::jsonb
                               else p.station_sign_in end,
             updated_at = app.now(), version = p.version + 1
        from units u
       where u.id = p.unit_id and u.code = ${unitCode} and p.id = ${providerId}
         and (${expectedVersion === null} or p.version = any(${`{${(expectedVersion ?? []).join(',')}}`}::int[]))
      returning ${providerColumns}, p.unit_id, u.code as "unitCode"
    )${auditChangedRows(actor, { action: 'identity_provider.updated', targetType: 'identity_provider', targetColumn: 'id', changes: auditedChanges(changes) })}`);
}

export function removeIdentityProvider(db: HttpDatabase, actor: AuditActor, unitCode: string, providerId: string, expectedVersion: number[] | null) {
  return db.execute<IdentityProviderRow>(sql`
    with changed as (
      delete from identity_providers p using units u
       where u.id = p.unit_id and u.code = ${unitCode} and p.id = ${providerId}
         and (${expectedVersion === null} or p.version = any(${`{${(expectedVersion ?? []).join(',')}}`}::int[]))
      returning ${providerColumns}, p.unit_id, u.code as "unitCode"
    )${auditChangedRows(actor, { action: 'identity_provider.removed', targetType: 'identity_provider', targetColumn: 'id', changes: {} })}`);
}

export type StationSignInOption = StationSignIn & { unitCode: string; unitName: string; issuer: string };

/** Read before anyone has signed in, across every unit: through the definer function, which lists only what units chose to offer. */
export function listStationSignInOptions(db: HttpDatabase) {
  return db.execute<StationSignInOption>(sql`
    select unit_code as "unitCode", unit_name as "unitName", issuer, client_id as "clientId", scope, resource
      from app.station_sign_in_options() order by unit_code, issuer`);
}
