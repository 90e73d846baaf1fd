import pg from 'pg';

export interface ScaleTenant {
  unitCode: string;
  districtCode: string;
  stationCodes: string[];
  cases: number;
  /** Seconds this call spent writing cases (0 when they were all there already). */
  seededSeconds: number;
}

/**
 * Cases a station holds over the two years: the domain's design target is 5 million cases a year
 * across about 18,000 stations, some 280 a station a year. A larger unit has more stations, not
 * busier ones (at least 30).
 */
const CASES_PER_STATION = 560;
const stationsFor = (cases: number) => Math.max(30, Math.ceil(cases / CASES_PER_STATION));
const SPAN_DAYS = 730;
/** Cases reported in the last 90 days before the anchor are still open; older ones are closed. */
const OPEN_DAYS = 90;
const IDENTIFIERS_PER_CASE = 10;
/** The first steps of the SOP in force that every case gets on being reported: an open case carries these. */
const STEPS_PER_OPEN_CASE = 4;
/**
 * Cases a transaction: the server holds one batch's rows at a time, so 10 million cost what 100
 * thousand do, a hundred times over. Fixed: an interrupted seed finds its batches by their first case.
 */
const BATCH = 100_000;
/** What a seeded case takes on disk with its identifiers, steps and their indexes (measured on PostgreSQL 15). */
const BYTES_PER_CASE = 6_000;
/** Batches written side by side (BENCH_SEED_WORKERS), each on a connection of its own. */
const SEED_WORKERS = Number(process.env.BENCH_SEED_WORKERS ?? 2);

/** When case number `g` of `cases` is reported (SQL expressions): evenly through the 730 days before `anchor`. */
const reportedAt = (g: string, anchor: string, cases: string) =>
  `(${anchor}::timestamptz - make_interval(days => ${SPAN_DAYS}) + make_interval(secs => (${g} - 1) * (${SPAN_DAYS}::float8 * 86400 / ${cases}::int)))`;

/**
 * A UUID v7 whose time is `at` (an SQL timestamptz expression), written inline: the same bits as
 * the column default app.uuid_v7(), without a function call per row and from the time the
 * seeded row pretends to be made at, so keys arrive in order and every index grows at its edge.
 */
const uuidV7At = (at: string) =>
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((extract(epoch FROM ${at}) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;

/**
 * A unit of `cases` cases across its stations (stationsFor: about 560 a station), reported one
 * after another over the two years before the unit was made, written with bulk SQL
 * (generate_series) as the owner. What the last 90 days brought is open, alternately newly
 * reported and under investigation; older cases are closed: so a station's open cases and pending
 * steps stay what a real station carries, whatever the unit's size. Every case
 * carries ten suspect identifiers (phones, UPI addresses, Instagram handles: 1 million cases
 * carry 10 million); an open case carries the first four steps of the base SOP in force that
 * every reported case gets, with their real definitions and deadlines from the reporting time:
 * all pending on a new case, the first two done on one under investigation. Closed cases carry
 * no steps. Ten cases of station 1 share the UPI address the search benchmark looks for.
 * With `cases` 0, only the unit, its district and stations.
 *
 * Batches of 100,000 cases, each one transaction, written by `writers` connections side by side
 * (BENCH_SEED_WORKERS, 2 by default; 1 on the embedded database). Seeded rows raise no
 * integration events and no audit events (see triggerBypass). A later call writes only the
 * batches that are not in, so an interrupted seed resumes.
 */
export async function seedScaleTenant(
  ownerUrl: string,
  cases: number,
  log: (line: string) => void,
  { unitCode = `BENCH${cases}`, writers = SEED_WORKERS }: { unitCode?: string; writers?: number } = {},
): Promise<ScaleTenant> {
  const districtCode = `${unitCode}-CITY`;
  const stationCodes = Array.from({ length: stationsFor(cases) }, (_, index) => `${districtCode}-S${index + 1}`);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    // PGlite's one backend may still carry the API's login from a session before this one.
    await client.query('RESET SESSION AUTHORIZATION');
    await client.query(`INSERT INTO units (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`, [unitCode, `Benchmark unit of ${cases} cases`]);
    await client.query(
      `INSERT INTO districts (unit_id, code, name, kind) SELECT id, $2, 'Bench city', 'commissionerate' FROM units WHERE code = $1 ON CONFLICT (code) DO NOTHING`,
      [unitCode, districtCode],
    );
    await client.query(
      `INSERT INTO stations (unit_id, district_id, code, name)
       SELECT d.unit_id, d.id, s.code, 'Bench station ' || s.code FROM districts d, unnest($2::text[]) AS s(code) WHERE d.code = $1
       ON CONFLICT (code) DO NOTHING`,
      [districtCode, stationCodes],
    );
    if (cases === 0) return { unitCode, districtCode, stationCodes, cases, seededSeconds: 0 };

    // Case g (1 … cases) is reported at anchor − 730 days + (g − 1) steps, the anchor being the
    // unit's creation; cases the API adds later are reported after it. A batch commits whole, so
    // its first case tells whether it is in: an interrupted seed carries on with the others.
    // As text: a Date would drop the microseconds, and every reporting time follows from it.
    const { rows: [unit] } = await client.query<{ anchor: string }>(`SELECT created_at::text AS anchor FROM units WHERE code = $1`, [unitCode]);
    const anchor = unit!.anchor;
    const batches = Math.ceil(cases / BATCH);
    const { rows: missing } = await client.query<{ batch: number }>(
      `SELECT b AS batch FROM generate_series(0, $3::int - 1) AS b
        WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.unit_id = (SELECT id FROM units WHERE code = $1) AND c.reported_at = ${reportedAt('(b * $4::int + 1)', '$2', '$5')})`,
      [unitCode, anchor, batches, BATCH, cases],
    );
    const started = Date.now();
    if (missing.length > 0) {
      const templates = JSON.stringify(await stepTemplates(client));
      const bypass = await triggerBypass(client);
      const queue = missing.map((row) => row.batch);
      const toWrite = queue.reduce((sum, batch) => sum + Math.min(BATCH, cases - batch * BATCH), 0);
      let written = 0;
      if (toWrite >= 1_000_000) log(`  ${unitCode}: writing ${toWrite.toLocaleString('en')} cases, about ${Math.round((toWrite * BYTES_PER_CASE) / 1e9)} GB with their identifiers, steps and indexes`);
      // One writer when the bypass locks the tables (each batch would wait for the one before),
      // and on the embedded database, whose one backend every connection shares.
      const parallel = Math.max(1, Math.min(bypass.parallel ? writers : 1, queue.length));
      const worker = async () => {
        const session = parallel === 1 ? client : new pg.Client({ connectionString: ownerUrl });
        if (session !== client) await session.connect();
        try {
          for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) {
            const from = batch * BATCH + 1;
            const to = Math.min(cases, from + BATCH - 1);
            await session.query('BEGIN');
            try {
              const undo = await bypass.begin(session);
              await session.query(batchSql, [districtCode, from, to, cases, anchor, templates, stationCodes.length]);
              await undo();
              await session.query('COMMIT');
            } catch (error) {
              await session.query('ROLLBACK').catch(() => {});
              throw error;
            }
            written += to - from + 1;
            const seconds = (Date.now() - started) / 1000;
            log(`  ${unitCode}: ${written.toLocaleString('en')} / ${toWrite.toLocaleString('en')} cases (${Math.round(seconds)} s, ${Math.round(written / seconds).toLocaleString('en')} cases/s, ${parallel} writer${parallel === 1 ? '' : 's'})`);
          }
        } finally {
          if (session !== client) await session.end();
        }
      };
      await Promise.all(Array.from({ length: parallel }, worker));
    } else log(`  ${unitCode}: ${cases.toLocaleString('en')} cases already seeded`);
    // Ten cases of the unit share one UPI address: what the search benchmark looks for.
    await client.query(
      `INSERT INTO case_identifiers (case_id, unit_id, created_at, created_by, kind, normalized, display, details, source)
       SELECT c.id, c.unit_id, c.reported_at, 'bench', 'upi', 'quickcash@ybl', 'quickcash@ybl', '{}', 'intake'
         FROM cases c JOIN stations s ON s.id = c.station_id WHERE s.code = $1 AND c.reported_at <= $2::timestamptz
        ORDER BY c.reported_at DESC LIMIT 10
       ON CONFLICT DO NOTHING`,
      [stationCodes[0], anchor],
    );
    const seededSeconds = missing.length > 0 ? (Date.now() - started) / 1000 : 0;
    if (missing.length > 0) await client.query('ANALYZE cases, case_identifiers, case_steps');
    return { unitCode, districtCode, stationCodes, cases, seededSeconds };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

const seededTables = ['cases', 'case_identifiers', 'case_steps'];

interface TriggerBypass {
  /** Whether batches may run side by side. */
  parallel: boolean;
  /** Called first in a batch's transaction; what it returns is called before the commit. */
  begin(session: pg.Client): Promise<() => Promise<void>>;
}

/**
 * How a batch keeps the seeded tables' triggers from firing: integration events and any audit a
 * later migration adds (none is wanted for seeded history), and the foreign-key checks (the batch
 * takes every reference from the rows it has just written or the unit's own stations, so they
 * hold by construction; check constraints, unique indexes and NOT NULL are enforced as ever). As
 * a superuser, session_replication_role = replica for the transaction, as pg_dump's restore
 * loads data. Otherwise the owner switches off the tables' own user triggers that are on, inside
 * the transaction (no other session sees them off), and the foreign keys are checked.
 */
async function triggerBypass(client: pg.Client): Promise<TriggerBypass> {
  const { rows: [role] } = await client.query<{ superuser: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS superuser`);
  if (role!.superuser) {
    return {
      parallel: true,
      async begin(session) {
        await session.query(`SET LOCAL session_replication_role = replica`);
        return async () => {};
      },
    };
  }
  return {
    parallel: false,
    async begin(session) {
      const { rows: triggers } = await session.query<{ table: string; name: string }>(
        `SELECT c.relname AS table, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1) AND NOT t.tgisinternal AND t.tgenabled <> 'D'`,
        [seededTables],
      );
      const alter = (to: 'DISABLE' | 'ENABLE') => async () => {
        for (const { table, name } of triggers) await session.query(`ALTER TABLE public.${pg.escapeIdentifier(table)} ${to} TRIGGER ${pg.escapeIdentifier(name)}`);
      };
      await alter('DISABLE')();
      return alter('ENABLE');
    },
  };
}

interface StepTemplate {
  key: string;
  definition: unknown;
  ownerRole: string;
  kind: string;
  dueMinutes: number;
  position: number;
}

/**
 * The first steps of the newest published base SOP that apply to every case on being reported
 * (no conditions, not one per platform), with their deadlines, as the SOP engine resolves them.
 */
async function stepTemplates(client: pg.Client): Promise<{ baseId: string | null; steps: StepTemplate[] }> {
  const { rows } = await client.query<{ baseId: string } & StepTemplate>(
    `WITH base AS (
       SELECT v.id, v.body FROM sop_versions v WHERE v.layer = 'base' AND v.status = 'published' ORDER BY v.number DESC LIMIT 1
     )
     SELECT base.id AS "baseId", r.key, r.step AS definition, r.step->>'ownerRole' AS "ownerRole", r.step->>'kind' AS kind,
            coalesce(app.provision_time_limit(r.step->'deadline'->>'provision', now()), (r.step->'deadline'->>'minutes')::integer) AS "dueMinutes",
            row_number() OVER (ORDER BY r.ord)::int AS position
       FROM base, app.resolved_steps(base.body, NULL, NULL) r
      WHERE r.step->'trigger'->>'event' = 'case_reported' AND coalesce(r.step->'conditions', '{}') = '{}'
        AND NOT coalesce((r.step->>'forEachPlatform')::boolean, false)
      ORDER BY r.ord LIMIT ${STEPS_PER_OPEN_CASE}`,
  );
  if (rows.length === 0) {
    // No base SOP published: steps of the shape the due list reads, and no pinned version.
    return {
      baseId: null,
      steps: [
        { key: 'victim-safety', definition: { title: { en: 'Bench step' }, instructions: { en: '-' } }, ownerRole: 'investigating_officer', kind: 'policy', dueMinutes: 15, position: 1 },
        { key: 'register-fir', definition: { title: { en: 'Bench step' }, instructions: { en: '-' } }, ownerRole: 'investigating_officer', kind: 'policy', dueMinutes: 4320, position: 2 },
      ],
    };
  }
  return { baseId: rows[0]!.baseId, steps: rows.map(({ baseId: _, ...step }) => step) };
}

/**
 * One batch: $1 district code, cases $2 … $3 of $4, $5 the anchor (the unit's creation time),
 * $6 the step templates, $7 the unit's stations. The case's station, time and status follow from g
 * alone: stations in turn, reporting times stepping evenly through the two years before the anchor,
 * open within the last 90 days.
 */
const batchSql = `
  WITH st AS (
    SELECT s.id, s.district_id, s.unit_id, s.code, row_number() OVER (ORDER BY s.code) - 1 AS slot
      FROM stations s JOIN districts d ON d.id = s.district_id WHERE d.code = $1
  ), templates AS (
    SELECT ($6::jsonb->>'baseId')::uuid AS base_id, t.*
      FROM jsonb_to_recordset($6::jsonb->'steps') AS t(key text, definition jsonb, "ownerRole" text, kind text, "dueMinutes" integer, position integer)
  ), source AS (
    SELECT g, st.*, ${reportedAt('g', '$5', '$4')} AS at,
           CASE WHEN ${reportedAt('g', '$5', '$4')} < $5::timestamptz - make_interval(days => ${OPEN_DAYS}) THEN 'closed'
                WHEN (g / $7::int) % 2 = 0 THEN 'under_investigation' ELSE 'reported' END AS status
      FROM generate_series($2::int, $3::int) AS g JOIN st ON st.slot = g % $7::int
  ), made AS (
    INSERT INTO cases (id, unit_id, district_id, station_id, station_code, reported_station_id, reported_district_id, reported_station_code,
                       holder_station_ids, holder_district_ids, status, closure_reason, closed_at, reported_at, reported_by,
                       complainant, victim, victim_is_minor, incident, platforms, images_circulated, amount_paid, narrative,
                       sop_base_id, created_at, updated_at)
    SELECT ${uuidV7At('s.at')}, s.unit_id, s.district_id, s.id, s.code, s.id, s.district_id, s.code, ARRAY[s.id], ARRAY[s.district_id],
           s.status, CASE WHEN s.status = 'closed' THEN 'untraced' END, CASE WHEN s.status = 'closed' THEN s.at + interval '30 days' END,
           s.at, 'bench',
           '{"name":"Bench complainant"}', '{"age":20}', s.g % 7 = 0,
           '{"firstContactAt":"2026-01-01T00:00:00Z","platforms":["instagram"],"imagesCirculated":false}',
           CASE WHEN s.g % 2 = 0 THEN ARRAY['instagram'] ELSE ARRAY['whatsapp', 'other:tinder'] END, s.g % 5 = 0, (s.g % 50) * 1000, '',
           (SELECT base_id FROM templates LIMIT 1), s.at, CASE WHEN s.status = 'closed' THEN s.at + interval '30 days' ELSE s.at END
      FROM source s
    RETURNING id, unit_id, district_id, station_id, status, reported_at
  ), numbered AS (
    SELECT made.*, $2::bigint - 1 + row_number() OVER (ORDER BY made.id) AS g FROM made
  ), identifiers AS (
    INSERT INTO case_identifiers (id, case_id, unit_id, created_at, created_by, kind, normalized, display, details, source)
    SELECT ${uuidV7At('m.reported_at')}, m.id, m.unit_id, m.reported_at, 'bench', n.kind, n.value, n.value, '{}', 'intake'
      FROM numbered m
     CROSS JOIN LATERAL (
       SELECT CASE WHEN k < 4 THEN 'phone' WHEN k < 7 THEN 'upi' ELSE 'platform_handle' END AS kind,
              CASE WHEN k < 4 THEN '+917' || lpad((m.g * ${IDENTIFIERS_PER_CASE} + k)::text, 9, '0')
                   WHEN k < 7 THEN 'p' || lpad((m.g * ${IDENTIFIERS_PER_CASE} + k)::text, 10, '0') || '@ybl'
                   ELSE 'instagram:s' || lpad((m.g * ${IDENTIFIERS_PER_CASE} + k)::text, 10, '0') END AS value
         FROM generate_series(0, ${IDENTIFIERS_PER_CASE - 1}) AS k
     ) n
    RETURNING 1
  ), steps AS (
    INSERT INTO case_steps (id, case_id, unit_id, district_id, station_id, step_key, definition_key, definition, owner_role, kind,
                            status, triggered_at, due_at, closed_at, closed_by, reason, due_announced, created_at, updated_at)
    SELECT ${uuidV7At('m.reported_at')}, m.id, m.unit_id, m.district_id, m.station_id, t.key, t.key, t.definition, t."ownerRole", t.kind,
           x.status, m.reported_at, m.reported_at + make_interval(mins => t."dueMinutes"),
           x.closed_at, CASE WHEN x.status = 'done' THEN 'bench' END, CASE WHEN x.status = 'done' THEN 'done at intake' END,
           CASE WHEN x.status = 'pending' AND m.reported_at + make_interval(mins => t."dueMinutes") < now() THEN 'overdue' END,
           m.reported_at, coalesce(x.closed_at, m.reported_at)
      FROM made m CROSS JOIN templates t
     CROSS JOIN LATERAL (
       SELECT CASE WHEN m.status = 'under_investigation' AND t.position <= ${STEPS_PER_OPEN_CASE - 2} THEN 'done' ELSE 'pending' END AS status,
              CASE WHEN m.status = 'under_investigation' AND t.position <= ${STEPS_PER_OPEN_CASE - 2} THEN m.reported_at + make_interval(mins => t."dueMinutes") / 2 END AS closed_at
     ) x
     WHERE m.status <> 'closed'
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM made) AS cases, (SELECT count(*) FROM identifiers) AS identifiers, (SELECT count(*) FROM steps) AS steps`;
