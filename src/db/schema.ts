import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

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
    unique('stations_id_district_unit_unique').on(table.id, table.districtId, table.unitId),
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
    /** The case an event belongs to, so its timeline is read from the chain itself. */
    caseId: uuid('case_id'),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [
    unique('audit_events_unit_sequence_unique').on(table.unitId, table.sequence),
    index('audit_events_case_idx').on(table.caseId, table.sequence).where(sql`${table.caseId} is not null`),
  ],
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

const caseStatuses = sql.raw(`('reported', 'triaged', 'under_investigation', 'fir_registered', 'closed', 'transferred')`);
const money = (name: string) => numeric(name, { precision: 14, scale: 2 });

/**
 * A sextortion complaint. `station_id` holds it now; every station and district that has
 * held it stays in the holder arrays, so the station that took the complaint keeps reading
 * it after a transfer while only the current holder may work it. Codes are copied in
 * because they never change and a holder may not see the other station's row.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    districtId: uuid('district_id').notNull(),
    stationId: uuid('station_id').notNull(),
    stationCode: text('station_code').notNull(),
    reportedStationId: uuid('reported_station_id').notNull(),
    reportedDistrictId: uuid('reported_district_id').notNull(),
    reportedStationCode: text('reported_station_code').notNull(),
    holderStationIds: uuid('holder_station_ids').array().notNull(),
    holderDistrictIds: uuid('holder_district_ids').array().notNull(),
    status: text('status').notNull().default('reported'),
    closureReason: text('closure_reason'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    assignedOfficer: jsonb('assigned_officer'),
    assignedOfficerSubject: text('assigned_officer_subject'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
    reportedBy: text('reported_by').notNull(),
    complainant: jsonb('complainant').notNull(),
    victim: jsonb('victim').notNull(),
    victimIsMinor: boolean('victim_is_minor').notNull(),
    incident: jsonb('incident').notNull(),
    platforms: text('platforms').array().notNull().default(sql`'{}'`),
    imagesCirculated: boolean('images_circulated').notNull().default(false),
    amountDemanded: money('amount_demanded'),
    amountPaid: money('amount_paid').notNull().default('0'),
    currency: text('currency').notNull().default('INR'),
    narrative: text('narrative').notNull().default(''),
    routedBy: text('routed_by'),
    ...timestamps,
  },
  (table) => [
    check('cases_status', sql`${table.status} in ${caseStatuses}`),
    check('cases_closure', sql`(${table.status} = 'closed') = (${table.closureReason} is not null and ${table.closedAt} is not null)`),
    check('cases_holders', sql`${table.stationId} = any(${table.holderStationIds}) and ${table.reportedStationId} = any(${table.holderStationIds})`),
    foreignKey({
      name: 'cases_station_in_unit_fk',
      columns: [table.stationId, table.districtId, table.unitId],
      foreignColumns: [stations.id, stations.districtId, stations.unitId],
    }),
    foreignKey({
      name: 'cases_reported_station_in_unit_fk',
      columns: [table.reportedStationId, table.reportedDistrictId, table.unitId],
      foreignColumns: [stations.id, stations.districtId, stations.unitId],
    }),
    index('cases_unit_reported_idx').on(table.unitId, table.reportedAt.desc(), table.id.desc()),
    index('cases_district_reported_idx').on(table.districtId, table.reportedAt.desc(), table.id.desc()),
    index('cases_station_reported_idx').on(table.stationId, table.reportedAt.desc(), table.id.desc()),
    index('cases_station_status_idx').on(table.stationId, table.status, table.reportedAt.desc(), table.id.desc()),
    index('cases_assigned_idx').on(table.assignedOfficerSubject, table.reportedAt.desc(), table.id.desc()).where(sql`${table.assignedOfficerSubject} is not null`),
    index('cases_minor_idx').on(table.unitId, table.reportedAt.desc(), table.id.desc()).where(sql`${table.victimIsMinor}`),
    index('cases_platforms_idx').using('gin', table.platforms),
  ],
);

const caseChild = {
  id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
  caseId: uuid('case_id')
    .notNull()
    .references(() => cases.id),
  unitId: uuid('unit_id')
    .notNull()
    .references(() => units.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
};

/** A suspect identifier in its normalised form (what cases are linked by) and as given. */
export const caseIdentifiers = pgTable(
  'case_identifiers',
  {
    ...caseChild,
    kind: text('kind').notNull(),
    normalized: text('normalized').notNull(),
    display: text('display').notNull(),
    details: jsonb('details').notNull(),
    source: text('source').notNull(),
  },
  (table) => [
    unique('case_identifiers_case_kind_value_unique').on(table.caseId, table.kind, table.normalized),
    index('case_identifiers_lookup_idx').on(table.unitId, table.kind, table.normalized, table.caseId),
    check('case_identifiers_source', sql`${table.source} in ('intake', 'added', 'payment')`),
  ],
);

export const casePayments = pgTable(
  'case_payments',
  {
    ...caseChild,
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }).notNull(),
    method: text('method').notNull(),
    reference: text('reference'),
    payer: text('payer'),
    payee: text('payee'),
  },
  (table) => [index('case_payments_case_idx').on(table.caseId, table.paidAt), check('case_payments_amount', sql`${table.amount} > 0`)],
);

/** National portal acknowledgements, helpline tickets, FIRs and notices, each typed. */
export const caseReferences = pgTable(
  'case_references',
  {
    ...caseChild,
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    sections: text('sections').array().notNull().default(sql`'{}'`),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    note: text('note'),
  },
  (table) => [
    unique('case_references_case_kind_value_unique').on(table.caseId, table.kind, table.value),
    index('case_references_lookup_idx').on(table.unitId, table.kind, table.value),
  ],
);

export const caseNotes = pgTable('case_notes', { ...caseChild, body: text('body').notNull() }, (table) => [index('case_notes_case_idx').on(table.caseId)]);

/** Metadata of an evidence item and the hash taken at capture; the binary is not stored here. */
export const evidenceItems = pgTable(
  'evidence_items',
  {
    ...caseChild,
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    fileName: text('file_name'),
    mediaType: text('media_type'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256').notNull(),
    hashOrigin: text('hash_origin').notNull(),
    capturedAt: timestamp('captured_at', { withTimezone: true }).notNull(),
    capturedBy: jsonb('captured_by').notNull(),
    custodian: jsonb('custodian').notNull(),
    integrity: text('integrity').notNull().default('intact'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    index('evidence_items_case_idx').on(table.caseId, table.id),
    unique('evidence_items_id_case_unique').on(table.id, table.caseId),
    check('evidence_items_sha256', sql`${table.sha256} ~ '^[0-9a-f]{64}$'`),
    check('evidence_items_integrity', sql`${table.integrity} in ('intact', 'mismatch')`),
  ],
);

/** The chain of custody: capture, every hand-over and every re-verification of an item. */
export const custodyEvents = pgTable(
  'custody_events',
  {
    ...caseChild,
    evidenceId: uuid('evidence_id').notNull(),
    kind: text('kind').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    fromCustodian: jsonb('from_custodian'),
    toCustodian: jsonb('to_custodian'),
    sha256: text('sha256'),
    matches: boolean('matches'),
    note: text('note'),
  },
  (table) => [
    foreignKey({ name: 'custody_events_evidence_fk', columns: [table.evidenceId, table.caseId], foreignColumns: [evidenceItems.id, evidenceItems.caseId] }),
    index('custody_events_evidence_idx').on(table.evidenceId, table.id),
    check('custody_events_kind', sql`${table.kind} in ('captured', 'handed_over', 'reverified')`),
  ],
);

/**
 * A unit's routing rules, as data: the first active rule (by priority) whose every set
 * condition holds sends a new case to its target station, e.g. paid above a threshold to
 * the cyber crime police station.
 */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    name: text('name').notNull(),
    priority: integer('priority').notNull(),
    active: boolean('active').notNull().default(true),
    minAmountPaid: money('min_amount_paid'),
    minAmountDemanded: money('min_amount_demanded'),
    victimIsMinor: boolean('victim_is_minor'),
    imagesCirculated: boolean('images_circulated'),
    platformsAny: text('platforms_any').array(),
    targetStationId: uuid('target_station_id').notNull(),
    targetDistrictId: uuid('target_district_id').notNull(),
    targetStationCode: text('target_station_code').notNull(),
    ...timestamps,
  },
  (table) => [
    foreignKey({
      name: 'routing_rules_target_in_unit_fk',
      columns: [table.targetStationId, table.targetDistrictId, table.unitId],
      foreignColumns: [stations.id, stations.districtId, stations.unitId],
    }),
    index('routing_rules_unit_idx').on(table.unitId, table.priority),
  ],
);
