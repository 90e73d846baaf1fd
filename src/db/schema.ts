import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const tenancyCodePattern = sql.raw(`'^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$'`);

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** Bumped by every update: the ETag that If-Match must name, so two racing updates never both win. */
  version: integer('version').notNull().default(1),
};

/** A state or union-territory cyber unit: the top tenant. */
export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    ...timestamps,
  },
  (table) => [check('units_code_format', sql`${table.code} ~ ${tenancyCodePattern}`)],
);

/** A district or police commissionerate inside a unit. */
export const districts = pgTable(
  'districts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['district', 'commissionerate'] }).notNull(),
    ...timestamps,
  },
  (table) => [
    check('districts_code_format', sql`${table.code} ~ ${tenancyCodePattern}`),
    check('districts_kind', sql`${table.kind} in ('district', 'commissionerate')`),
    index('districts_unit_id_idx').on(table.unitId, table.code),
    unique('districts_id_unit_id_unique').on(table.id, table.unitId),
  ],
);

/** A police station; a cyber crime police station takes the cases transferred to it. */
export const stations = pgTable(
  'stations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    districtId: uuid('district_id').notNull(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    isCyberCrimeStation: boolean('is_cyber_crime_station').notNull().default(false),
    ...timestamps,
  },
  (table) => [
    check('stations_code_format', sql`${table.code} ~ ${tenancyCodePattern}`),
    foreignKey({
      name: 'stations_district_in_same_unit_fk',
      columns: [table.districtId, table.unitId],
      foreignColumns: [districts.id, districts.unitId],
    }),
    index('stations_unit_id_idx').on(table.unitId, table.code),
    index('stations_district_id_idx').on(table.districtId, table.code),
  ],
);

/** A unit's own identity provider: its officers' tokens are verified against its keys. */
export const identityProviders = pgTable(
  'identity_providers',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    issuer: text('issuer').notNull().unique(),
    audience: text('audience').notNull(),
    jwksUri: text('jwks_uri'),
    jwks: jsonb('jwks'),
    algorithms: text('algorithms').array().notNull(),
    rolesClaim: text('roles_claim').notNull().default('roles'),
    districtClaim: text('district_claim').notNull().default('district'),
    stationClaim: text('station_claim').notNull().default('station'),
    ...timestamps,
  },
  (table) => [
    check('identity_providers_keys', sql`(${table.jwksUri} is null) <> (${table.jwks} is null)`),
    check('identity_providers_algorithms', sql`${table.algorithms} <@ array['RS256', 'ES256', 'EdDSA'] and cardinality(${table.algorithms}) > 0`),
    index('identity_providers_unit_id_idx').on(table.unitId),
  ],
);

/** A machine client (a police IT system) that gets our tokens with OAuth client credentials. */
export const integrationClients = pgTable(
  'integration_clients',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    districtId: uuid('district_id').references(() => districts.id),
    stationId: uuid('station_id').references(() => stations.id),
    clientId: text('client_id').notNull().unique(),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    roles: text('roles').array().notNull(),
    scopes: text('scopes').array().notNull().default(sql`'{}'`),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [index('integration_clients_unit_id_idx').on(table.unitId, table.createdAt)],
);

/**
 * Every mutation, appended in the transaction that made it. Per unit, each event's hash
 * covers the previous event's hash (set by a trigger), so editing history breaks the chain.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorIssuer: text('actor_issuer').notNull(),
    actorSubject: text('actor_subject').notNull(),
    actorRoles: text('actor_roles').array().notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    changes: jsonb('changes').notNull().default(sql`'{}'::jsonb`),
    requestId: text('request_id'),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [unique('audit_events_unit_sequence_unique').on(table.unitId, table.sequence)],
);

/** The last link of each unit's audit chain; written only by the chaining trigger. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  unitId: uuid('unit_id')
    .primaryKey()
    .references(() => units.id),
  lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});

/**
 * The first outcome of each Idempotency-Key, per caller: written in the transaction that made
 * the change, read back on a retry. Reached only through app.* functions.
 */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    owner: text('owner').notNull(),
    key: text('key').notNull(),
    unitId: uuid('unit_id').references(() => units.id),
    fingerprint: text('fingerprint').notNull(),
    result: jsonb('result'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.owner, table.key] }), index('idempotency_records_created_at_idx').on(table.createdAt)],
);
