/** Roles and the level of the tenancy tree each one works at ('assigned': wherever its registration puts it). */
export const roleLevels = {
  platform_admin: 'platform',
  unit_admin: 'unit',
  unit_supervisor: 'unit',
  auditor: 'unit',
  district_supervisor: 'district',
  station_house_officer: 'station',
  investigating_officer: 'station',
  duty_officer: 'station',
  integration_client: 'assigned',
} as const;

export type Role = keyof typeof roleLevels;
export type Level = Exclude<(typeof roleLevels)[Role], 'assigned'>;

export const roles = Object.keys(roleLevels) as [Role, ...Role[]];

/** What a unit's own identity provider may grant: never platform-wide power, never a machine identity. */
export const unitGrantableRoles = roles.filter((role) => role !== 'platform_admin' && role !== 'integration_client');

/** What a registered machine client may hold. */
export const clientRoles = ['integration_client', 'unit_admin', 'auditor'] as const satisfies readonly Role[];

const breadth: Record<Level, number> = { platform: 3, unit: 2, district: 1, station: 0 };

/**
 * The level a principal works at: the widest among its roles. An integration client works at
 * the most specific level its registration names.
 */
export function levelOf(held: readonly Role[], tenancy: { district?: string; station?: string }): Level {
  const assigned: Level = tenancy.station ? 'station' : tenancy.district ? 'district' : 'unit';
  return held
    .map((role) => (roleLevels[role] === 'assigned' ? assigned : roleLevels[role]))
    .reduce((widest, level) => (breadth[level] > breadth[widest] ? level : widest));
}
