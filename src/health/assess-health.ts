export interface DatabaseHealthReading {
  role: string;
  isSuperuser: boolean;
  bypassesRls: boolean;
  ownsTables: boolean;
  rowSecurity: string;
  latestMigration: string | null;
}

export interface Check {
  ok: boolean;
  detail: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  checks: {
    database: Check;
    migrations: Check & { expected: string; applied: string | null };
    rowLevelSecurity: Check & { role: string | null };
  };
}

/** Judges what the app role read about itself; healthy only if tenant isolation holds and the schema matches. */
export function assessHealth(reading: DatabaseHealthReading, expectedMigration: string): HealthReport {
  const applied = reading.latestMigration;
  const migrationsOk = applied === expectedMigration;
  const rlsProblems = [
    reading.isSuperuser && 'is a superuser',
    reading.bypassesRls && 'has BYPASSRLS',
    reading.ownsTables && 'owns tables',
    reading.rowSecurity !== 'on' && 'runs with row_security off',
  ].filter((problem): problem is string => typeof problem === 'string');
  const checks = {
    database: { ok: true, detail: 'reachable' },
    migrations: {
      ok: migrationsOk,
      detail: migrationsOk
        ? 'current'
        : applied === null || BigInt(applied) < BigInt(expectedMigration)
          ? 'migrations are pending'
          : 'the database is ahead of this build',
      expected: expectedMigration,
      applied,
    },
    rowLevelSecurity: {
      ok: rlsProblems.length === 0,
      detail: rlsProblems.length === 0 ? 'enforced for the app role' : `the app role ${rlsProblems.join(', ')}`,
      role: reading.role,
    },
  };
  return { status: checks.migrations.ok && checks.rowLevelSecurity.ok ? 'healthy' : 'unhealthy', checks };
}

export function unreachableReport(detail: string, expectedMigration: string): HealthReport {
  return {
    status: 'unhealthy',
    checks: {
      database: { ok: false, detail },
      migrations: { ok: false, detail: 'not checked', expected: expectedMigration, applied: null },
      rowLevelSecurity: { ok: false, detail: 'not checked', role: null },
    },
  };
}
