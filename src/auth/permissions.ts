import type { Role } from './roles.js';

/** What an operation requires. Integration clients hold the ones granted to them as OAuth scopes. */
export const permissions = [
  'tenancy:read',
  'units:create',
  'units:read',
  'tenancy:manage',
  'identity:manage',
  'clients:manage',
  'audit:read',
] as const;

export type Permission = (typeof permissions)[number];

/** The scopes a unit may grant an integration client. */
export const clientScopes = ['tenancy:read', 'audit:read'] as const satisfies readonly Permission[];
export type ClientScope = (typeof clientScopes)[number];

const rolePermissions: Record<Role, readonly Permission[]> = {
  platform_admin: ['tenancy:read', 'units:create', 'units:read'],
  unit_admin: ['tenancy:read', 'units:read', 'tenancy:manage', 'identity:manage', 'clients:manage', 'audit:read'],
  auditor: ['tenancy:read', 'units:read', 'audit:read'],
  district_supervisor: ['tenancy:read'],
  station_house_officer: ['tenancy:read'],
  investigating_officer: ['tenancy:read'],
  duty_officer: ['tenancy:read'],
  integration_client: [],
};

export function permissionsOf(roles: readonly Role[], scopes: readonly ClientScope[]): Set<Permission> {
  return new Set<Permission>([...roles.flatMap((role) => rolePermissions[role]), ...scopes]);
}
