import { openHttpDatabase } from '../../src/db/client.js';
import { districts, stations, units } from '../../src/db/schema.js';
import { ownerConfig } from './config.js';

export interface TestTenant {
  unitCode: string;
  districtCodes: [string, string];
  /** Two stations in each district; the last one of the second district is a cyber crime station. */
  stationCodes: [string, string, string, string];
}

let sequence = 0;

/** A fresh unit of its own for one test: 2 districts × 2 stations, written as the owner. A code may be given (one that configuration names). */
export async function createTestTenant(code?: string): Promise<TestTenant> {
  sequence += 1;
  const unitCode = code ?? `T${crypto.randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}${sequence}`;
  const db = openHttpDatabase(ownerConfig());
  const [unit] = await db.insert(units).values({ code: unitCode, name: `Test unit ${unitCode}` }).returning();
  const districtCodes = [`${unitCode}-NORTH`, `${unitCode}-SOUTH`] as [string, string];
  const stationCodes = [
    `${districtCodes[0]}-A`, `${districtCodes[0]}-B`, `${districtCodes[1]}-A`, `${districtCodes[1]}-CYBER`,
  ] as [string, string, string, string];
  const createdDistricts = await db
    .insert(districts)
    .values(districtCodes.map((code) => ({ unitId: unit!.id, code, name: `District ${code}`, kind: 'district' as const })))
    .returning();
  await db.insert(stations).values(
    stationCodes.map((code, index) => ({
      unitId: unit!.id,
      districtId: createdDistricts[index < 2 ? 0 : 1]!.id,
      code,
      name: `Station ${code}`,
      isCyberCrimeStation: code.endsWith('-CYBER'),
    })),
  );
  return { unitCode, districtCodes, stationCodes };
}
