/** Where a caller stands in the tenancy tree: what row-level security lets it see. */
export type TenantScope =
  | { level: 'platform' }
  | { level: 'unit'; unitCode: string }
  | { level: 'district'; unitCode: string; districtCode: string }
  | { level: 'station'; unitCode: string; stationCode: string };
