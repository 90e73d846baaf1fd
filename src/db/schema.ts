import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const tenancyCodePattern = sql.raw(`'^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$'`);

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
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
