import pg from 'pg';
import { demoUnits } from './demo-tenants.js';

/** Inserts the demo tenancy tree as the owner; running it again changes nothing. */
export async function seedDemoData(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const unit of demoUnits) {
      await client.query('INSERT INTO units (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [unit.code, unit.name]);
      for (const district of unit.districts) {
        await client.query(
          `INSERT INTO districts (unit_id, code, name, kind)
           SELECT id, $2, $3, $4 FROM units WHERE code = $1
           ON CONFLICT (code) DO NOTHING`,
          [unit.code, district.code, district.name, district.kind],
        );
        for (const station of district.stations) {
          await client.query(
            `INSERT INTO stations (unit_id, district_id, code, name, is_cyber_crime_station)
             SELECT unit_id, id, $2, $3, $4 FROM districts WHERE code = $1
             ON CONFLICT (code) DO NOTHING`,
            [district.code, station.code, station.name, station.isCyberCrimeStation ?? false],
          );
        }
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}
