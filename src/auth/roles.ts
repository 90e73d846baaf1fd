/** Roles and the level of the tenancy tree each one works at. */
export const roleLevels = {
  platform_admin: 'platform',
  unit_admin: 'unit',
  auditor: 'unit',
  district_supervisor: 'district',
  station_house_officer: 'station',
  investigating_officer: 'station',
  duty_officer: 'station',
} as const;

export type Role = keyof typeof roleLevels;
export type Level = (typeof roleLevels)[Role];

export const roles = Object.keys(roleLevels) as [Role, ...Role[]];

const breadth: Record<Level, number> = { platform: 3, unit: 2, district: 1, station: 0 };

/** A principal holding several roles works at the widest level among them. */
export function widestLevel(held: readonly Role[]): Level {
  return held.map((role) => roleLevels[role]).reduce((widest, level) => (breadth[level] > breadth[widest] ? level : widest));
}
