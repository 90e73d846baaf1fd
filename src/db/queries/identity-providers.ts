import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

export type IdentityProviderRecord = {
  unitCode: string;
  audience: string;
  jwksUri: string | null;
  jwks: unknown;
  algorithms: string[];
  rolesClaim: string;
  districtClaim: string;
  stationClaim: string;
};

/** Runs before the caller is known, so through the definer function rather than the table. */
export function lookUpIdentityProvider(db: HttpDatabase, issuer: string) {
  return db.execute<IdentityProviderRecord>(sql`
    select unit_code as "unitCode", audience, jwks_uri as "jwksUri", jwks, algorithms,
           roles_claim as "rolesClaim", district_claim as "districtClaim", station_claim as "stationClaim"
      from app.identity_provider(${issuer})`);
}
