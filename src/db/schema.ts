import { sql } from 'drizzle-orm';
import { signingAlgorithms } from '../auth/signing-algorithms.js';
import { tenancyCodePattern } from '../tenancy/codes.js';
import { REQUEST_KINDS, SAFETY_RISK_LEVELS, sqlWordList, STEP_KINDS, STEP_STATUSES } from '../sop/vocabulary.js';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const tenancyCodeCheck = sql.raw(`'${tenancyCodePattern.source}'`);

/** The request's clock (src/db/sql/clock.sql): rows written by one request carry its time. */
const requestClock = sql`app.now()`;

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
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
  (table) => [check('units_code_format', sql`${table.code} ~ ${tenancyCodeCheck}`)],
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
    check('districts_code_format', sql`${table.code} ~ ${tenancyCodeCheck}`),
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
    check('stations_code_format', sql`${table.code} ~ ${tenancyCodeCheck}`),
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
    /** Legacy clients that send ID tokens where access tokens belong; off unless the unit turns it on. */
    acceptIdTokens: boolean('accept_id_tokens').notNull().default(false),
    /** Which claim must hold the audience: `aud`, or `client_id` where the provider puts it there (Cognito). */
    audienceClaim: text('audience_claim').notNull().default('aud'),
    /** The provider's role and group values mapped to this API's roles (and station codes); null: the values are the roles. */
    roleMap: jsonb('role_map'),
    /** Registered by issuer: jwks_uri and algorithms were read from the issuer's discovery document. */
    issuerDiscovery: boolean('issuer_discovery').notNull().default(false),
    /** The last check of the provider's keys: when, its outcome, and the keys in use. */
    keyCheck: jsonb('key_check'),
    /** The public client the station app signs officers in with at this provider; null: not offered for that sign-in. */
    stationSignIn: jsonb('station_sign_in'),
    ...timestamps,
  },
  (table) => [
    check('identity_providers_keys', sql`(${table.jwksUri} is null) <> (${table.jwks} is null)`),
    check('identity_providers_audience_claim', sql`${table.audienceClaim} in ('aud', 'client_id')`),
    check(
      'identity_providers_algorithms',
      sql`${table.algorithms} <@ array[${sql.raw(sqlWordList(signingAlgorithms))}] and cardinality(${table.algorithms}) > 0`,
    ),
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
    /** The secret a rotation replaced keeps working until then, so an integrator can roll over without downtime. */
    previousSecretHash: text('previous_secret_hash'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true, mode: 'string' }),
    roles: text('roles').array().notNull(),
    scopes: text('scopes').array().notNull().default(sql`'{}'`),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'string' }),
    ...timestamps,
  },
  (table) => [index('integration_clients_unit_id_idx').on(table.unitId, table.createdAt)],
);

/**
 * Every mutation, appended in the transaction that made it. Per unit, each event's hash
 * covers the previous event's hash, so editing history breaks the chain. Sequence and hashes
 * are set as the transaction commits (src/db/sql/audit-chain.sql): until then they are null.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    sequence: bigint('sequence', { mode: 'number' }),
    /** Insertion order, across units: the order a transaction's own events are sealed in. */
    ordinal: bigint('ordinal', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    /** The writing transaction (set by the insert trigger): its seal takes its own events and no others. */
    transactionId: bigint('transaction_id', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
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
    previousHash: text('previous_hash'),
    hash: text('hash'),
  },
  (table) => [
    unique('audit_events_unit_sequence_unique').on(table.unitId, table.sequence),
    index('audit_events_case_idx').on(table.caseId, table.sequence).where(sql`${table.caseId} is not null`),
    index('audit_events_unsealed_idx').on(table.transactionId, table.ordinal).where(sql`${table.sequence} is null`),
  ],
);

/** The last link of each unit's audit chain; written only as a transaction's events are sealed. */
export const auditChainHeads = pgTable('audit_chain_heads', {
  unitId: uuid('unit_id')
    .primaryKey()
    .references(() => units.id),
  lastSequence: bigint('last_sequence', { mode: 'number' }).notNull(),
  lastHash: text('last_hash').notNull(),
});

/**
 * A unit's chain head as the API signed it (a JWS with the token signing key), kept so a party
 * outside the database can hold it and later check the chain still ends in, or passes through, it.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'string' }).notNull(),
    keyId: text('key_id').notNull(),
    checkpoint: text('checkpoint').notNull(),
  },
  (table) => [primaryKey({ columns: [table.unitId, table.sequence] })],
);

/**
 * The first outcome of each Idempotency-Key, per caller (ownerOf in src/http/idempotency.ts): written in the transaction that made
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
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.owner, table.key] }), index('idempotency_records_created_at_idx').on(table.createdAt)],
);

/**
 * Failed token requests per client_id and per source address (`client:<id>`, `address:<partition>`):
 * not tenant data, and written before the caller is known, by the token endpoint alone.
 */
export const tokenFailures = pgTable(
  'token_failures',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true, mode: 'string' }).notNull(),
    lockedAt: timestamp('locked_at', { withTimezone: true, mode: 'string' }),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (table) => [index('token_failures_updated_at_idx').on(table.updatedAt), check('token_failures_failures_positive', sql`${table.failures} > 0`)],
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
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'string' }),
    assignedOfficer: jsonb('assigned_officer'),
    assignedOfficerSubject: text('assigned_officer_subject'),
    reportedAt: timestamp('reported_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
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
    imagesCirculatedAt: timestamp('images_circulated_at', { withTimezone: true, mode: 'string' }),
    /** The SOP versions the case started with (base, the unit's overlay, the station's additions). */
    sopBaseId: uuid('sop_base_id'),
    sopUnitId: uuid('sop_unit_id'),
    sopStationId: uuid('sop_station_id'),
    /** The victim-safety screen (src/cases/safety-screen.ts): null until the screen is recorded. */
    safetyRisk: text('safety_risk'),
    safetyScreenedAt: timestamp('safety_screened_at', { withTimezone: true, mode: 'string' }),
    neverContactThroughFamily: boolean('never_contact_through_family').notNull().default(false),
    consentToContact: boolean('consent_to_contact'),
    ...timestamps,
  },
  (table) => [
    check('cases_safety_risk', sql`${table.safetyRisk} in (${sql.raw(sqlWordList(SAFETY_RISK_LEVELS))})`),
    check('cases_safety_screened', sql`(${table.safetyRisk} is null) = (${table.safetyScreenedAt} is null)`),
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
    index('cases_unit_status_idx').on(table.unitId, table.status, table.reportedAt.desc(), table.id.desc()),
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
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
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
    paidAt: timestamp('paid_at', { withTimezone: true, mode: 'string' }).notNull(),
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
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'string' }),
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
    capturedAt: timestamp('captured_at', { withTimezone: true, mode: 'string' }).notNull(),
    capturedBy: jsonb('captured_by').notNull(),
    custodian: jsonb('custodian').notNull(),
    integrity: text('integrity').notNull().default('intact'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
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
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
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

/**
 * Statutory and policy provisions with their time limits, as data: a change in the law is a
 * new row with its effective date and where it comes from. Shared by every unit.
 */
export const legalProvisions = pgTable(
  'legal_provisions',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    code: text('code').notNull(),
    act: text('act').notNull(),
    title: text('title').notNull(),
    timeLimitMinutes: integer('time_limit_minutes'),
    effectiveFrom: timestamp('effective_from', { withTimezone: true, mode: 'string' }).notNull(),
    effectiveTo: timestamp('effective_to', { withTimezone: true, mode: 'string' }),
    sourceNote: text('source_note').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
  },
  (table) => [
    unique('legal_provisions_code_effective_unique').on(table.code, table.effectiveFrom),
    check('legal_provisions_code_format', sql`${table.code} ~ '^[A-Z0-9][A-Z0-9.()-]*$'`),
    check('legal_provisions_period', sql`${table.effectiveTo} is null or ${table.effectiveTo} > ${table.effectiveFrom}`),
  ],
);

/**
 * One version of one layer of the SOP: the base shipped with the product, a unit's overlay
 * (add, change, retire steps) or a station's local additions. Drafts change; a published
 * version never does, and a case keeps the versions it started with.
 */
export const sopVersions = pgTable(
  'sop_versions',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    layer: text('layer').notNull(),
    unitId: uuid('unit_id').references(() => units.id),
    districtId: uuid('district_id'),
    stationId: uuid('station_id'),
    number: integer('number'),
    status: text('status').notNull().default('draft'),
    title: text('title').notNull(),
    notes: text('notes').notNull().default(''),
    body: jsonb('body').notNull(),
    createdBy: text('created_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'string' }),
    publishedBy: text('published_by'),
    ...timestamps,
  },
  (table) => [
    check('sop_versions_layer', sql`${table.layer} in ('base', 'unit', 'station')`),
    check('sop_versions_status', sql`${table.status} in ('draft', 'published')`),
    check(
      'sop_versions_owner',
      sql`(${table.layer} = 'base' and ${table.unitId} is null and ${table.stationId} is null)
       or (${table.layer} = 'unit' and ${table.unitId} is not null and ${table.stationId} is null)
       or (${table.layer} = 'station' and ${table.unitId} is not null and ${table.stationId} is not null and ${table.districtId} is not null)`,
    ),
    check('sop_versions_published', sql`(${table.status} = 'published') = (${table.number} is not null and ${table.publishedAt} is not null)`),
    foreignKey({
      name: 'sop_versions_station_in_unit_fk',
      columns: [table.stationId, table.districtId, table.unitId],
      foreignColumns: [stations.id, stations.districtId, stations.unitId],
    }),
    index('sop_versions_in_force_idx').on(table.layer, table.unitId, table.stationId, table.number.desc()).where(sql`${table.status} = 'published'`),
  ],
);

/**
 * A case's checklist: one row per SOP step that applies to it, with its deadline and where
 * its escalation stands. Station and district follow the case on a transfer, so the due
 * lists walk an index of pending steps only; closed cases cost the sweep nothing.
 */
export const caseSteps = pgTable(
  'case_steps',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    districtId: uuid('district_id').notNull(),
    stationId: uuid('station_id').notNull(),
    /** The step on this case: the SOP step's key, followed by `.<platform>` for a step taken once per platform. */
    stepKey: text('step_key').notNull(),
    /** The SOP step it instantiates, and the platform it is for (steps taken once per platform involved). */
    definitionKey: text('definition_key').notNull(),
    platformKey: text('platform_key'),
    definition: jsonb('definition').notNull(),
    ownerRole: text('owner_role').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('pending'),
    triggeredAt: timestamp('triggered_at', { withTimezone: true, mode: 'string' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'string' }).notNull(),
    escalationLevel: integer('escalation_level').notNull().default(0),
    /** The role the step has escalated to (the last level reached), for "escalated to me". */
    escalatedRole: text('escalated_role'),
    nextEscalationAt: timestamp('next_escalation_at', { withTimezone: true, mode: 'string' }),
    /** The last of step.due_soon / step.overdue announced for this step (app.announce_due_steps). */
    dueAnnounced: text('due_announced'),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'string' }),
    closedBy: text('closed_by'),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    unique('case_steps_case_key_unique').on(table.caseId, table.stepKey),
    check('case_steps_status', sql`${table.status} in (${sql.raw(sqlWordList(STEP_STATUSES))})`),
    check('case_steps_kind', sql`${table.kind} in (${sql.raw(sqlWordList(STEP_KINDS))})`),
    index('case_steps_station_due_idx').on(table.stationId, table.dueAt, table.id).where(sql`${table.status} = 'pending'`),
    index('case_steps_district_due_idx').on(table.districtId, table.dueAt, table.id).where(sql`${table.status} = 'pending'`),
    index('case_steps_unit_due_idx').on(table.unitId, table.dueAt, table.id).where(sql`${table.status} = 'pending'`),
    index('case_steps_escalated_due_idx')
      .on(table.unitId, table.escalatedRole, table.dueAt, table.id)
      .where(sql`${table.status} = 'pending' and ${table.escalatedRole} is not null`),
    index('case_steps_due_announcement_idx')
      .on(table.dueAt, table.id)
      .where(sql`${table.status} = 'pending' and ${table.dueAnnounced} is distinct from 'overdue'`),
    index('case_steps_escalation_idx').on(table.nextEscalationAt).where(sql`${table.status} = 'pending' and ${table.nextEscalationAt} is not null`),
  ],
);

/** Each escalation of an overdue step to the next level of its chain; at most one per level. */
export const stepEscalations = pgTable(
  'step_escalations',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    caseStepId: uuid('case_step_id')
      .notNull()
      .references(() => caseSteps.id),
    caseId: uuid('case_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    level: integer('level').notNull(),
    role: text('role').notNull(),
    escalatedAt: timestamp('escalated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (table) => [unique('step_escalations_step_level_unique').on(table.caseStepId, table.level), index('step_escalations_case_idx').on(table.caseId)],
);

/** Events for integrating systems (an outbox): escalations, request reminders. */
export const integrationEvents = pgTable(
  'integration_events',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    type: text('type').notNull(),
    caseId: uuid('case_id'),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
    districtId: uuid('district_id'),
    stationId: uuid('station_id'),
    /** The writing transaction (pg_current_xact_id): the feed reads in (transaction, id) order, only transactions older than every running one. */
    transactionId: bigint('transaction_id', { mode: 'number' }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
    /** Fanned out to the webhook subscriptions it matched (app.dispatch_integration_events). */
    dispatched: boolean('dispatched').notNull().default(false),
  },
  (table) => [
    index('integration_events_undispatched_idx').on(table.transactionId, table.id).where(sql`not ${table.dispatched}`),
    index('integration_events_unit_idx').on(table.unitId, table.id),
    index('integration_events_feed_idx').on(table.unitId, table.transactionId, table.id),
    index('integration_events_district_feed_idx').on(table.districtId, table.transactionId, table.id),
    index('integration_events_station_feed_idx').on(table.stationId, table.transactionId, table.id),
  ],
);

/** Platforms and other bodies to contact; rows without a unit are the shipped directory a unit's own rows override. */
export const platformDirectory = pgTable(
  'platform_directory',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id').references(() => units.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    channels: jsonb('channels').notNull().default(sql`'[]'::jsonb`),
    requiredFields: text('required_fields').array().notNull().default(sql`'{}'`),
    turnaroundHours: integer('turnaround_hours'),
    preservationDays: integer('preservation_days'),
    notes: text('notes').notNull().default(''),
    ...timestamps,
  },
  (table) => [
    check('platform_directory_key', sql`${table.key} ~ '^[a-z0-9][a-z0-9_-]*$'`),
    check('platform_directory_category', sql`${table.category} in ('social', 'messaging', 'dating', 'gaming', 'payment', 'bank', 'telecom', 'portal', 'other')`),
    index('platform_directory_unit_key_idx').on(table.unitId, table.key),
  ],
);

/**
 * How long a body keeps data on a preservation request when the directory gives it no period of
 * its own: by the kind of body (intermediaries, banks and payment apps, telecoms).
 */
export const preservationDefaults = pgTable(
  'preservation_defaults',
  {
    category: text('category').primaryKey(),
    preservationDays: integer('preservation_days').notNull(),
    extensionDays: integer('extension_days'),
    sourceNote: text('source_note').notNull(),
  },
  (table) => [check('preservation_defaults_days', sql`${table.preservationDays} > 0 and (${table.extensionDays} is null or ${table.extensionDays} > 0)`)],
);

/** Per-unit letter templates for platform requests; rows without a unit are the shipped defaults. */
export const letterTemplates = pgTable(
  'letter_templates',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    unitId: uuid('unit_id').references(() => units.id),
    requestKind: text('request_kind').notNull(),
    body: text('body').notNull(),
    ...timestamps,
  },
  (table) => [index('letter_templates_unit_kind_idx').on(table.unitId, table.requestKind)],
);

/** The ledger of requests sent on a case to platforms, banks and telecoms, each through its states. */
export const platformRequests = pgTable(
  'platform_requests',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    stationId: uuid('station_id').notNull(),
    platformKey: text('platform_key').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('draft'),
    sopStepKey: text('sop_step_key'),
    letter: text('letter').notNull(),
    legalSections: text('legal_sections').array().notNull().default(sql`'{}'`),
    transitions: jsonb('transitions').notNull().default(sql`'[]'::jsonb`),
    approvedBy: text('approved_by'),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }),
    respondedAt: timestamp('responded_at', { withTimezone: true, mode: 'string' }),
    externalReference: text('external_reference'),
    preservationUntil: timestamp('preservation_until', { withTimezone: true, mode: 'string' }),
    reminderAt: timestamp('reminder_at', { withTimezone: true, mode: 'string' }),
    /** The platform's clock: when its answer is due (set on sending), and when the sweep found it missed. */
    respondBy: timestamp('respond_by', { withTimezone: true, mode: 'string' }),
    deadlineMissedAt: timestamp('deadline_missed_at', { withTimezone: true, mode: 'string' }),
    /** When the sweep reminded that the preservation nears its end (which raises the extension step). */
    remindedAt: timestamp('reminded_at', { withTimezone: true, mode: 'string' }),
    /** A preservation extension names the preservation it extends. */
    extendsRequestId: uuid('extends_request_id'),
    createdBy: text('created_by').notNull(),
    ...timestamps,
  },
  (table) => [
    check('platform_requests_kind', sql`${table.kind} in (${sql.raw(sqlWordList(REQUEST_KINDS))})`),
    check('platform_requests_status', sql`${table.status} in ('draft', 'approved', 'sent', 'acknowledged', 'actioned', 'refused', 'expired')`),
    index('platform_requests_case_idx').on(table.caseId, table.id),
    index('platform_requests_unit_platform_idx').on(table.unitId, table.platformKey, table.sentAt),
    index('platform_requests_reminder_idx').on(table.reminderAt).where(sql`${table.reminderAt} is not null`),
    index('platform_requests_respond_by_idx').on(table.respondBy).where(sql`${table.status} = 'sent' and ${table.deadlineMissedAt} is null`),
    index('platform_requests_preservation_until_idx')
      .on(table.preservationUntil)
      .where(sql`${table.preservationUntil} is not null and ${table.status} in ('sent', 'acknowledged', 'actioned')`),
    foreignKey({ name: 'platform_requests_extends_fk', columns: [table.extendsRequestId], foreignColumns: [table.id] }),
  ],
);

/**
 * When each job of the minute sweep last ran, and how it ended: what /health reports. Written
 * and read only through app.record_scheduler_run / app.scheduler_runs (src/db/sql/scheduler.sql).
 */
export const schedulerRuns = pgTable('scheduler_runs', {
  job: text('job').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }).notNull(),
  outcome: text('outcome', { enum: ['ok', 'failed'] }).notNull(),
  detail: text('detail'),
});

/**
 * Where a unit's events are pushed. The signing secret is kept as is (delivery signs with it);
 * only the unit's administrators can read the table, and no response shows it after the one
 * that created or rotated it.
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    scope: text('scope', { enum: ['unit', 'district', 'station'] }).notNull(),
    districtId: uuid('district_id').references(() => districts.id),
    stationId: uuid('station_id').references(() => stations.id),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    status: text('status', { enum: ['enabled', 'disabled'] }).notNull().default('enabled'),
    disabledReason: text('disabled_reason'),
    secret: text('secret').notNull(),
    /** The secret a rotation replaced: deliveries are signed with both until it expires. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true, mode: 'string' }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    failingSince: timestamp('failing_since', { withTimezone: true, mode: 'string' }),
    ...timestamps,
  },
  (table) => [
    check('webhook_subscriptions_scope', sql`${table.scope} in ('unit', 'district', 'station')`),
    check(
      'webhook_subscriptions_placement',
      sql`case ${table.scope} when 'unit' then ${table.districtId} is null and ${table.stationId} is null
                               when 'district' then ${table.districtId} is not null and ${table.stationId} is null
                               else ${table.stationId} is not null and ${table.districtId} is null end`,
    ),
    check('webhook_subscriptions_event_types', sql`cardinality(${table.eventTypes}) > 0`),
    check('webhook_subscriptions_status', sql`${table.status} in ('enabled', 'disabled')`),
    check('webhook_subscriptions_previous_secret_expiry', sql`(${table.previousSecret} is null) = (${table.previousSecretExpiresAt} is null)`),
    check('webhook_subscriptions_consecutive_failures', sql`${table.consecutiveFailures} >= 0`),
    index('webhook_subscriptions_unit_idx').on(table.unitId, table.id),
  ],
);

/**
 * One event for one subscription: pending until the receiver answers 2xx, retried on a schedule
 * (src/webhooks/retry-schedule.ts), failed once the schedule ran out. A replay puts it back to
 * pending with a new schedule. The webhook-id of every attempt is the event's id.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id),
    eventId: uuid('event_id')
      .notNull()
      .references(() => integrationEvents.id),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    /** Every attempt ever made (the attempt log's numbering). */
    attempts: integer('attempts').notNull().default(0),
    /** Attempts since it was last queued or replayed: the retry schedule counts these. */
    scheduleAttempts: integer('schedule_attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'string' }).notNull().default(requestClock),
    /** While an attempt is in flight: no one else claims it until then. */
    leasedUntil: timestamp('leased_until', { withTimezone: true, mode: 'string' }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'string' }),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'string' }),
    ...timestamps,
  },
  (table) => [
    unique('webhook_deliveries_subscription_event_unique').on(table.subscriptionId, table.eventId),
    check('webhook_deliveries_status', sql`${table.status} in ('pending', 'delivered', 'failed')`),
    index('webhook_deliveries_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('webhook_deliveries_subscription_idx').on(table.subscriptionId, table.id),
  ],
);

/** Every attempt of every delivery, as the receiver answered it. Written by the delivery work only. */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    id: uuid('id').primaryKey().default(sql`app.uuid_v7()`),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id),
    subscriptionId: uuid('subscription_id').notNull(),
    eventId: uuid('event_id').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true, mode: 'string' }).notNull(),
    outcome: text('outcome', { enum: ['delivered', 'failed', 'refused'] }).notNull(),
    responseStatus: integer('response_status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (table) => [
    unique('webhook_delivery_attempts_number_unique').on(table.deliveryId, table.attemptNumber),
    check('webhook_delivery_attempts_outcome', sql`${table.outcome} in ('delivered', 'failed', 'refused')`),
    index('webhook_delivery_attempts_subscription_idx').on(table.subscriptionId, table.id),
  ],
);
