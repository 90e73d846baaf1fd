import pg from 'pg';
import { newClientSecret } from '../../src/auth/client-credentials.js';
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
    // Maharashtra's example of a routing rule held as data: large losses go to the cyber police station.
    await client.query(
      `INSERT INTO routing_rules (unit_id, name, priority, min_amount_paid, target_station_id, target_district_id, target_station_code)
       SELECT s.unit_id, $1, 10, 100000, s.id, s.district_id, s.code FROM stations s
        WHERE s.code = 'MH-PUNE-CYBER' AND NOT EXISTS (SELECT 1 FROM routing_rules r WHERE r.unit_id = s.unit_id AND r.name = $1)`,
      ['Paid ₹1,00,000 or more → Cyber Police Station, Pune City'],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

export interface DemoClient {
  clientId: string;
  clientSecret: string;
  description: string;
}

/**
 * Machine clients for the walk-through, with fresh secrets on every start (only the hashes are
 * stored, so the secrets cannot be printed later).
 */
export async function seedDemoClients(ownerUrl: string): Promise<DemoClient[]> {
  const clients = [
    { clientId: 'cli_demopuneregister0001', name: 'Pune City case register (demo)', roles: ['integration_client'], scopes: ['tenancy:read', 'cases:read', 'cases:report', 'cases:work'], description: 'integration client of Maharashtra Cyber, scopes tenancy:read cases:read cases:report cases:work' },
    { clientId: 'cli_demomhunitadmin00000', name: 'Maharashtra Cyber administrator (demo)', roles: ['unit_admin'], scopes: [], description: 'unit administrator of Maharashtra Cyber' },
  ];
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const seeded: DemoClient[] = [];
    for (const demo of clients) {
      const { clientSecret, secretHash } = await newClientSecret();
      await client.query(
        `INSERT INTO integration_clients (unit_id, client_id, name, secret_hash, roles, scopes)
         SELECT id, $1, $2, $3, $4, $5 FROM units WHERE code = 'MH'
         ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash, scopes = excluded.scopes, disabled_at = NULL`,
        [demo.clientId, demo.name, secretHash, demo.roles, demo.scopes],
      );
      seeded.push({ clientId: demo.clientId, clientSecret, description: demo.description });
    }
    return seeded;
  } finally {
    await client.end();
  }
}
