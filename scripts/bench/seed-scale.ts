import pg from 'pg';

export interface ScaleTenant {
  unitCode: string;
  districtCode: string;
  stationCodes: string[];
  cases: number;
}

const STATIONS = 30;

/**
 * A unit of `cases` cases across 30 stations, two years of reports, ten suspect identifiers a
 * case (so 1 million cases carry 10 million identifiers) and two pending SOP steps on each open
 * case, written with bulk SQL as the owner. Every station holds a third each of closed, open and
 * newly reported cases, so each station's due list has steps to show. Idempotent: an existing unit of that size is reused.
 * Ten cases of each unit share the identifier the search benchmark looks for.
 */
export async function seedScaleTenant(ownerUrl: string, cases: number, log: (line: string) => void): Promise<ScaleTenant> {
  const unitCode = `BENCH${cases}`;
  const districtCode = `${unitCode}-CITY`;
  const stationCodes = Array.from({ length: STATIONS }, (_, index) => `${districtCode}-S${index + 1}`);
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
    const existing = Number((await client.query(`SELECT count(*) FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code = $1`, [unitCode])).rows[0].count);
    if (existing >= cases) {
      log(`  ${unitCode}: ${existing} cases already seeded`);
      return { unitCode, districtCode, stationCodes, cases: existing };
    }
    const started = Date.now();
    const batch = 100_000;
    for (let from = existing + 1; from <= cases; from += batch) {
      const to = Math.min(cases, from + batch - 1);
      await client.query('BEGIN');
      await client.query(
        `WITH st AS (
           SELECT s.id, s.district_id, s.unit_id, s.code, row_number() OVER (ORDER BY s.code) - 1 AS slot
             FROM stations s JOIN districts d ON d.id = s.district_id WHERE d.code = $1
         ), made AS (
           INSERT INTO cases (unit_id, district_id, station_id, station_code, reported_station_id, reported_district_id, reported_station_code,
                              holder_station_ids, holder_district_ids, status, closure_reason, closed_at, reported_at, reported_by,
                              complainant, victim, victim_is_minor, incident, platforms, images_circulated, amount_paid, narrative)
           SELECT st.unit_id, st.district_id, st.id, st.code, st.id, st.district_id, st.code, ARRAY[st.id], ARRAY[st.district_id],
                  CASE (g / ${STATIONS}) % 3 WHEN 0 THEN 'closed' WHEN 1 THEN 'under_investigation' ELSE 'reported' END,
                  CASE WHEN (g / ${STATIONS}) % 3 = 0 THEN 'untraced' END, CASE WHEN (g / ${STATIONS}) % 3 = 0 THEN now() END,
                  now() - ((g::bigint * 7919) % (730 * 24 * 60)) * interval '1 minute', 'bench',
                  '{"name":"Bench complainant"}', '{"age":20}', g % 7 = 0,
                  '{"firstContactAt":"2026-01-01T00:00:00Z","platforms":["instagram"],"imagesCirculated":false}',
                  CASE WHEN g % 2 = 0 THEN ARRAY['instagram'] ELSE ARRAY['whatsapp', 'other:tinder'] END, g % 5 = 0, (g % 50) * 1000, ''
             FROM generate_series($2::int, $3::int) AS g JOIN st ON st.slot = g % ${STATIONS}
           RETURNING id, unit_id, district_id, station_id, status, reported_at
         ), identifiers AS (
           INSERT INTO case_identifiers (case_id, unit_id, created_by, kind, normalized, display, details, source)
           SELECT m.id, m.unit_id, 'bench', 'phone', n.value, n.value, '{}', 'intake'
             FROM (SELECT made.*, row_number() OVER () AS position FROM made) m
             CROSS JOIN LATERAL (SELECT '+9170' || lpad(((m.position + $2::bigint) * 10 + k)::text, 8, '0') AS value FROM generate_series(0, 9) AS k) n
           RETURNING 1
         ), steps AS (
           INSERT INTO case_steps (case_id, unit_id, district_id, station_id, step_key, definition_key, definition, owner_role, kind, triggered_at, due_at)
           SELECT m.id, m.unit_id, m.district_id, m.station_id, k.key, k.key, '{"title":{"en":"Bench step"},"instructions":{"en":"-"}}',
                  'investigating_officer', 'policy', m.reported_at, m.reported_at + k.offset_minutes * interval '1 minute'
             FROM made m CROSS JOIN (VALUES ('victim-safety', 15), ('register-fir', 4320)) AS k(key, offset_minutes)
            WHERE m.status <> 'closed'
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM made) AS cases, (SELECT count(*) FROM identifiers) AS identifiers, (SELECT count(*) FROM steps) AS steps`,
        [districtCode, from, to],
      );
      await client.query('COMMIT');
      log(`  ${unitCode}: ${to} / ${cases} cases (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    // Ten cases of the unit share one UPI address: what the search benchmark looks for.
    await client.query(
      `INSERT INTO case_identifiers (case_id, unit_id, created_by, kind, normalized, display, details, source)
       SELECT c.id, c.unit_id, 'bench', 'upi', 'quickcash@ybl', 'quickcash@ybl', '{}', 'intake'
         FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code = $1 AND c.station_code = $2
        ORDER BY c.reported_at DESC LIMIT 10
       ON CONFLICT DO NOTHING`,
      [unitCode, stationCodes[0]],
    );
    await client.query('ANALYZE cases, case_identifiers, case_steps');
    return { unitCode, districtCode, stationCodes, cases };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
