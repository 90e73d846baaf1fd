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
});
