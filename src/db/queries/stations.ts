import { and, asc, eq, gt } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { districts, stations, units } from '../schema.js';

export interface ListStationsQuery {
  afterCode?: string;
  districtCode?: string;
  limit: number;
}

/** The stations row-level security lets the caller see, in code order; one extra row tells if more follow. */
export function listVisibleStations(db: HttpDatabase, query: ListStationsQuery) {
  return db
    .select({
      code: stations.code,
      name: stations.name,
      isCyberCrimeStation: stations.isCyberCrimeStation,
      districtCode: districts.code,
      districtName: districts.name,
      unitCode: units.code,
      version: stations.version,
    })
    .from(stations)
    .innerJoin(districts, eq(districts.id, stations.districtId))
    .innerJoin(units, eq(units.id, stations.unitId))
    .where(
      and(
        query.afterCode ? gt(stations.code, query.afterCode) : undefined,
        query.districtCode ? eq(districts.code, query.districtCode) : undefined,
      ),
    )
    .orderBy(asc(stations.code))
    .limit(query.limit + 1);
}
