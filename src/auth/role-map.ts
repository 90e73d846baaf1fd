import { readClaim } from './claim-path.js';
import { roles as apiRoles, type Role } from './roles.js';

/**
 * How a unit's identity provider's values become this API's roles and tenancy. `roles` maps a
 * value of the roles claim (exact, or with * for any characters: "/stations/*") to a role;
 * values it does not name are ignored. `stationFrom` / `districtFrom` are patterns with one
 * {code} ("/stations/{code}") that pick the code out of the station / district claim's values.
 */
export interface RoleMap {
  roles: Record<string, Role>;
  stationFrom?: string;
  districtFrom?: string;
}

export const codePlaceholder = '{code}';

function valuesOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** Glob match where * stands for any characters (greedy, linear: no regular expression). */
export function matchesPattern(value: string, pattern: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return value === pattern;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!value.startsWith(first) || !value.endsWith(last) || value.length < first.length + last.length) return false;
  let offset = first.length;
  const end = value.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, offset);
    if (found === -1 || found + part.length > end) return false;
    offset = found + part.length;
  }
  return true;
}

/** The API roles a provider's values stand for: through its map, or (without one) the values that are API roles. */
export function mappedRoles(values: string[], roleMap: RoleMap | null): Role[] {
  const found = new Set<Role>();
  for (const value of values) {
    if (!roleMap) {
      if ((apiRoles as string[]).includes(value)) found.add(value as Role);
      continue;
    }
    const exact = Object.hasOwn(roleMap.roles, value) ? roleMap.roles[value] : undefined;
    if (exact) found.add(exact);
    for (const [pattern, role] of Object.entries(roleMap.roles)) if (pattern.includes('*') && matchesPattern(value, pattern)) found.add(role);
  }
  return [...found];
}

/** The codes in a claim's values: each value itself, or what stands at {code} in the values that fit the pattern. */
export function codesFrom(value: unknown, pattern: string | undefined): string[] {
  const values = valuesOf(value);
  if (!pattern) return values;
  const [prefix = '', suffix = ''] = pattern.split(codePlaceholder);
  return values
    .filter((candidate) => candidate.length > prefix.length + suffix.length && candidate.startsWith(prefix) && candidate.endsWith(suffix))
    .map((candidate) => candidate.slice(prefix.length, candidate.length - suffix.length));
}

export interface ProviderClaimSettings {
  rolesClaim: string;
  districtClaim: string;
  stationClaim: string;
  roleMap: RoleMap | null;
}

/** Reads a unit provider's token: its roles (mapped; unmapped values ignored), district and station codes. */
export function providerClaims(claims: Record<string, unknown>, settings: ProviderClaimSettings) {
  const values = valuesOf(readClaim(claims, settings.rolesClaim));
  const roles = mappedRoles(values, settings.roleMap);
  return {
    roles,
    unmappedValueCount: values.length,
    district: codesFrom(readClaim(claims, settings.districtClaim), settings.roleMap?.districtFrom),
    station: codesFrom(readClaim(claims, settings.stationClaim), settings.roleMap?.stationFrom),
  };
}
