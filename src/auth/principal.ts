import { z } from '@hono/zod-openapi';
import type { TenantScope } from '../db/tenant-runner.js';
import { roles, widestLevel, type Role } from './roles.js';

const tenancyCode = z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/);

/** The claims this API reads from a verified token, beyond the registered ones jose checks. */
export const principalClaimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(roles)).min(1),
  unit: tenancyCode.optional(),
  district: tenancyCode.optional(),
  station: tenancyCode.optional(),
});

export interface Principal {
  subject: string;
  roles: Role[];
  scope: TenantScope;
}

/** Returns the principal, or why the claims name no tenancy that fits the roles. */
export function principalFromClaims(claims: unknown): { principal: Principal } | { error: string } {
  const parsed = principalClaimsSchema.safeParse(claims);
  if (!parsed.success) return { error: 'the token lacks a subject, known roles or well-formed tenancy codes' };
  const { sub, roles: held, unit, district, station } = parsed.data;
  const level = widestLevel(held);
  const principal = (scope: TenantScope) => ({ principal: { subject: sub, roles: held, scope } });
  switch (level) {
    case 'platform':
      return principal({ level: 'platform' });
    case 'unit':
      return unit ? principal({ level: 'unit', unitCode: unit }) : { error: 'unit roles need a unit claim' };
    case 'district':
      return unit && district
        ? principal({ level: 'district', unitCode: unit, districtCode: district })
        : { error: 'district roles need unit and district claims' };
    case 'station':
      return unit && station
        ? principal({ level: 'station', unitCode: unit, stationCode: station })
        : { error: 'station roles need unit and station claims' };
  }
}
