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
  'cases:read',
  'cases:report',
  'cases:work',
  'cases:supervise',
  'personal:read',
  'sop:manage',
] as const;

export type Permission = (typeof permissions)[number];

/** The scopes a unit may grant an integration client. */
export const clientScopes = ['tenancy:read', 'audit:read', 'cases:read', 'cases:report', 'cases:work', 'personal:read'] as const satisfies readonly Permission[];
export type ClientScope = (typeof clientScopes)[number];

const stationOfficer = ['tenancy:read', 'cases:read', 'cases:report', 'cases:work', 'personal:read'] as const;

/**
 * Station officers take complaints and work their station's cases with the victim's details;
 * closing, reopening, assigning and transferring is the station house officer's call, or a
 * supervisor's. Supervisors and auditors read cases with personal data masked. The unit
 * supervisor is the state cyber unit's duty officer at the top of every escalation chain;
 * the unit administrator runs the tenant's IT.
 */
const rolePermissions: Record<Role, readonly Permission[]> = {
  platform_admin: ['tenancy:read', 'units:create', 'units:read'],
  unit_admin: ['tenancy:read', 'units:read', 'tenancy:manage', 'identity:manage', 'clients:manage', 'audit:read', 'cases:read', 'cases:supervise', 'sop:manage'],
  unit_supervisor: ['tenancy:read', 'units:read', 'cases:read', 'cases:supervise'],
  auditor: ['tenancy:read', 'units:read', 'audit:read', 'cases:read'],
  district_supervisor: ['tenancy:read', 'cases:read', 'cases:supervise'],
  station_house_officer: [...stationOfficer, 'cases:supervise', 'sop:manage'],
  investigating_officer: stationOfficer,
  duty_officer: stationOfficer,
  integration_client: [],
};

export function permissionsOf(roles: readonly Role[], scopes: readonly ClientScope[]): Set<Permission> {
  return new Set<Permission>([...roles.flatMap((role) => rolePermissions[role]), ...scopes]);
}
