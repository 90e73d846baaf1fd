import { describe, expect, it } from 'vitest';
import { assessHealth, type DatabaseHealthReading } from '../../src/health/assess-health.js';

const sound: DatabaseHealthReading = {
  role: 'sextortion_app',
  isSuperuser: false,
  bypassesRls: false,
  ownsTables: false,
  rowSecurity: 'on',
  latestMigration: '1795897149956',
  loginRole: 'sextortion_login',
  loginIsSuperuser: false,
  loginBypassesRls: false,
  loginOwnsTables: false,
  loginReadsTenantData: false,
  loginIsAppMember: true,
  schedulerRuns: null,
};

describe('assessHealth', () => {
  it('is healthy when isolation holds and the schema matches', () => {
    expect(assessHealth(sound, '1795897149956').status).toBe('healthy');
  });

  it.each([
    [{ isSuperuser: true }, 'is a superuser'],
    [{ bypassesRls: true }, 'has BYPASSRLS'],
    [{ ownsTables: true }, 'owns tables'],
    [{ rowSecurity: 'off' }, 'row_security off'],
  ])('is unhealthy when the app role %j', (change, detail) => {
    const report = assessHealth({ ...sound, ...change }, '1795897149956');
    expect(report.status).toBe('unhealthy');
    expect(report.checks.rowLevelSecurity).toMatchObject({ ok: false, detail: expect.stringContaining(detail) });
  });

  it.each([
    [{ loginIsSuperuser: true }, 'is a superuser'],
    [{ loginBypassesRls: true }, 'has BYPASSRLS'],
    [{ loginOwnsTables: true }, 'owns tables'],
    [{ loginReadsTenantData: true }, 'can read tenant tables without switching'],
    [{ loginIsAppMember: false }, 'is not a member'],
  ])('is unhealthy when the login role %j: tenant work could switch back to it', (change, detail) => {
    const report = assessHealth({ ...sound, ...change }, '1795897149956');
    expect(report.status).toBe('unhealthy');
    expect(report.checks.rowLevelSecurity.detail).toContain(`the login role sextortion_login ${detail}`);
  });

  it('tells pending migrations from a database ahead of the build', () => {
    expect(assessHealth({ ...sound, latestMigration: null }, '1795897149956').checks.migrations.detail).toBe('migrations are pending');
    expect(assessHealth({ ...sound, latestMigration: '1795897097691' }, '1795897149956').checks.migrations.detail).toBe('migrations are pending');
    const ahead = assessHealth({ ...sound, latestMigration: '1895897149956' }, '1795897149956');
    expect(ahead).toMatchObject({ status: 'unhealthy', checks: { migrations: { ok: false, detail: 'the database is ahead of this build' } } });
  });

  it('reports when the minute sweep last ran, without judging it', () => {
    const runs = [
      { job: 'escalateOverdue', startedAt: '2031-03-10T09:00:00.004+00:00', finishedAt: '2031-03-10T09:00:00.120+00:00', outcome: 'ok' as const, detail: null },
      { job: 'purgeIdempotencyRecords', startedAt: '2031-03-10T08:59:00+00:00', finishedAt: '2031-03-10T08:59:00.2+00:00', outcome: 'failed' as const, detail: 'timed out' },
    ];
    const report = assessHealth({ ...sound, schedulerRuns: runs }, '1795897149956');
    expect(report.status).toBe('healthy');
    expect(report.scheduler.lastRunAt).toBe('2031-03-10T09:00:00.004Z');
    expect(report.scheduler.jobs.map((run) => run.finishedAt)).toEqual(['2031-03-10T09:00:00.120Z', '2031-03-10T08:59:00.200Z']);
    expect(assessHealth(sound, '1795897149956').scheduler).toEqual({ lastRunAt: null, jobs: [] });
  });
});
