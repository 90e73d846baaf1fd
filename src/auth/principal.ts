import type { TenantScope } from '../tenancy/scope.js';
import { clientScopes, permissionsOf, type ClientScope, type Permission } from './permissions.js';
import { levelOf, roles as knownRoles, type Role } from './roles.js';
import { tenancyCodePattern } from '../tenancy/codes.js';


/** Who is calling, as established by a verified token. */
export interface Principal {
  issuer: string;
  subject: string;
  clientId?: string;
  roles: Role[];
  scopes: ClientScope[];
  tenancy: TenantScope;
  permissions: Set<Permission>;
}

/** Claims after the issuer's own mapping (claim names, the unit an identity provider serves). */
export interface IdentityClaims {
  issuer: string;
  subject: unknown;
  clientId?: unknown;
  roles: unknown;
  unit?: unknown;
  district?: unknown;
  station?: unknown;
  scope?: unknown;
}

function listOf(value: unknown): string[] | undefined {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return undefined;
}

/** A tenancy code, upper-cased; a one-element array (or several naming the same code) counts as the code. */
function codeOf(value: unknown): string | undefined | false | 'several' {
  const values = (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== null && item !== '');
  if (values.length === 0) return undefined;
  if (!values.every((item) => typeof item === 'string')) return false;
  const codes = [...new Set((values as string[]).map((item) => item.toUpperCase()))];
  if (codes.length > 1) return 'several';
  return tenancyCodePattern.test(codes[0]!) ? codes[0] : false;
}

/** Returns the principal, or why the claims do not make one (the caller then gets a 401). */
export function principalFromClaims(claims: IdentityClaims, grantableRoles: readonly Role[] = knownRoles): { principal: Principal } | { error: string } {
  if (typeof claims.subject !== 'string' || claims.subject === '') return { error: 'the token has no subject' };
  const held = listOf(claims.roles);
  if (!held || held.length === 0) return { error: 'the token carries no roles' };
  const unknown = held.filter((role) => !(grantableRoles as string[]).includes(role));
  if (unknown.length > 0) return { error: `this issuer cannot grant the role(s) ${unknown.join(', ')}` };
  const roles = held as Role[];
  const scopes = (listOf(claims.scope) ?? []).filter((scope): scope is ClientScope => (clientScopes as readonly string[]).includes(scope));
  const [unit, district, station] = [codeOf(claims.unit), codeOf(claims.district), codeOf(claims.station)];
  if (district === 'several' || station === 'several') {
    return { error: `the token names several ${station === 'several' ? 'stations' : 'districts'}; an officer acts for one at a time: use one token per station` };
  }
  if (unit === false || unit === 'several' || district === false || station === false) return { error: 'the token carries a malformed tenancy code' };

  const levels = new Set(roles.map((role) => levelOf([role], { district, station })));
  if (levels.size > 1) return { error: 'the token mixes roles of different levels (e.g. platform_admin with a unit role); use one token per level' };
  const level = levelOf(roles, { district, station });
  const make = (tenancy: TenantScope) => ({
    principal: {
      issuer: claims.issuer,
      subject: claims.subject as string,
      clientId: typeof claims.clientId === 'string' ? claims.clientId : undefined,
      roles,
      scopes,
      tenancy,
      permissions: permissionsOf(roles, scopes),
    },
  });
  if (level === 'platform') return make({ level: 'platform' });
  if (!unit) return { error: 'the token names no unit' };
  if (level === 'unit') return make({ level: 'unit', unitCode: unit });
  if (level === 'district') {
    return district ? make({ level: 'district', unitCode: unit, districtCode: district }) : { error: 'district roles need a district claim' };
  }
  return station ? make({ level: 'station', unitCode: unit, stationCode: station }) : { error: 'station roles need a station claim' };
}
