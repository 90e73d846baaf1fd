export type DatabaseHealthReading = {
  role: string;
  isSuperuser: boolean;
  bypassesRls: boolean;
  ownsTables: boolean;
  rowSecurity: string;
  latestMigration: string | null;
  loginRole: string | null;
  loginIsSuperuser: boolean | null;
  loginBypassesRls: boolean | null;
  loginOwnsTables: boolean | null;
  loginReadsTenantData: boolean | null;
  loginIsAppMember: boolean | null;
  /** The minute sweep's jobs as they last ran (app.scheduler_runs()). */
  schedulerRuns: SchedulerRun[] | null;
};

export type SchedulerRun = { job: string; startedAt: string; finishedAt: string; outcome: 'ok' | 'failed'; detail: string | null };

export interface Check {
  ok: boolean;
  detail: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  checks: {
    database: Check;
    migrations: Check & { expected: string; applied: string | null };
    rowLevelSecurity: Check & { role: string | null; loginRole: string | null };
  };
  /** When the minute sweep last ran: reported, not judged (a fresh database has never swept). */
  scheduler: { lastRunAt: string | null; jobs: SchedulerRun[] };
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
  const loginProblems = [
    reading.loginIsSuperuser && 'is a superuser',
    reading.loginBypassesRls && 'has BYPASSRLS',
    reading.loginOwnsTables && 'owns tables',
    reading.loginReadsTenantData && 'can read tenant tables without switching to the app role',
    reading.loginIsAppMember === false && 'is not a member of the app role',
  ].filter((problem): problem is string => typeof problem === 'string');
  const isolationProblems = [
    ...rlsProblems.map((problem) => `the app role ${problem}`),
    ...loginProblems.map((problem) => `the login role ${reading.loginRole} ${problem}`),
  ];
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
      ok: isolationProblems.length === 0,
      detail: isolationProblems.length === 0 ? 'enforced: neither the app role nor the login role can bypass it' : isolationProblems.join('; '),
      role: reading.role,
      loginRole: reading.loginRole,
    },
  };
  const jobs = (reading.schedulerRuns ?? []).map((run) => ({ ...run, startedAt: new Date(run.startedAt).toISOString(), finishedAt: new Date(run.finishedAt).toISOString() }));
  const lastRunAt = jobs.reduce<string | null>((latest, run) => (latest === null || run.startedAt > latest ? run.startedAt : latest), null);
  return { status: checks.migrations.ok && checks.rowLevelSecurity.ok ? 'healthy' : 'unhealthy', checks, scheduler: { lastRunAt, jobs } };
}

export function unreachableReport(detail: string, expectedMigration: string): HealthReport {
  return {
    status: 'unhealthy',
    checks: {
      database: { ok: false, detail },
      migrations: { ok: false, detail: 'not checked', expected: expectedMigration, applied: null },
      rowLevelSecurity: { ok: false, detail: 'not checked', role: null, loginRole: null },
    },
    scheduler: { lastRunAt: null, jobs: [] },
  };
}
