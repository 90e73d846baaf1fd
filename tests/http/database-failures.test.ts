import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { TransactionInterrupted } from '../../src/db/database-errors.js';
import { createTenantRunner, requestBound } from '../../src/db/tenant-runner.js';
import { toProblem } from '../../src/http/error-handler.js';
import { api, expectProblem } from '../support/api.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

/*
 * What a client sees when the database fails a request: its own mistakes keep their answers
 * (the SQLSTATE survives every driver's wrapping), and the database's troubles are 503 with
 * Retry-After, never 500. vitest.config.ts runs this file through both transports (Neon's driver
 * and node-postgres).
 */

const onServer = env.TEST_DATABASE_KIND === 'server';

/** An error as a driver raises it: a message and the SQLSTATE as `code`. */
const driverError = (code: string, message = 'driver error', name = 'error') => Object.assign(new Error(message), { name, code });

it.skipIf(env.TEST_TRANSPORT !== 'node-postgres')('in the workers-pg project, requests through the Worker take the node-postgres transport', async () => {
  const counted = globalThis as { nodePostgresTransactions?: number };
  const before = counted.nodePostgresTransactions ?? 0;
  expect((await api('/health')).status).toBe(200);
  expect(counted.nodePostgresTransactions).toBe(before + 1);
});

describe('SQLSTATEs under any wrapper', () => {
  it("reads the SQLSTATE under Drizzle's DrizzleQueryError, whose name is not its class's", () => {
    const wrapped = new DrizzleQueryError('insert into districts …', [], driverError('23505', 'duplicate key value violates unique constraint'));
    expect(wrapped.name).toBe('Error');
    expect(toProblem(wrapped)).toMatchObject({ status: 409, code: 'already_exists' });
    expect(toProblem(new DrizzleQueryError('select app.enter_tenant(…)', [], driverError('SOP01')))).toMatchObject({ status: 403, code: 'unknown_tenancy' });
  });

  it('keeps the SQLSTATE of an interactive transaction, through either driver', async () => {
    const runner = createTenantRunner(appConfig(), null);
    const error = await runner.transaction((tx) => tx.execute(sql`select 1 / 0`)).catch((caught: unknown) => caught);
    expect(toProblem(error)).toMatchObject({ status: 400, code: 'invalid_value' });
  });

  it('answers codes the database checks with their own problems, through either transport', async () => {
    const tenant = await createTestTenant();
    const admin = await tokenFor.unit(tenant.unitCode);
    const district = { code: `${tenant.unitCode}-EAST`, name: 'East' };
    expect((await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token: admin, body: district })).status).toBe(201);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token: admin, body: district }), 409, 'already_exists');
    await expectProblem(await api('/v1/cases', { token: await tokenFor.station(tenant.unitCode, `${tenant.unitCode}-NOWHERE`) }), 403, 'unknown_tenancy');
  });
});

describe('the database in trouble: 503 with Retry-After', () => {
  it.each([
    ['57P01', 'terminating connection due to administrator command', 'dependency_unavailable'],
    ['57P02', 'terminating connection due to crash of another server process', 'dependency_unavailable'],
    ['57P03', 'the database system is starting up', 'dependency_unavailable'],
    ['08006', 'connection failure', 'dependency_unavailable'],
    ['08001', 'could not connect', 'dependency_unavailable'],
    ['40001', 'could not serialize access due to concurrent update', 'transaction_conflict'],
    ['40P01', 'deadlock detected', 'transaction_conflict'],
    ['55P03', 'could not obtain lock on row', 'transaction_conflict'],
    ['57014', 'canceling statement due to statement timeout', 'database_timeout'],
  ])('SQLSTATE %s (%s): 503 %s', (code, message, problem) => {
    for (const error of [driverError(code, message, 'NeonDbError'), driverError(code, message), new DrizzleQueryError('select …', [], driverError(code, message))]) {
      const answer = toProblem(error);
      expect(answer).toMatchObject({ status: 503, code: problem });
      expect(Number(answer.extra.headers?.['Retry-After'])).toBeGreaterThan(0);
    }
  });

  it('connections that break without a SQLSTATE: 503 as well', () => {
    expect(toProblem(new Error('Connection terminated unexpectedly'))).toMatchObject({ status: 503, code: 'dependency_unavailable' });
    expect(toProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503 });
    const abortedFetch = Object.assign(new Error('Error connecting to database: TimeoutError: The operation was aborted due to timeout'), {
      name: 'NeonDbError',
      sourceError: Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
    });
    expect(toProblem(abortedFetch)).toMatchObject({ status: 503, code: 'database_timeout' });
    expect(toProblem(new Error('Server error (HTTP status 502): bad gateway'))).toMatchObject({ status: 503, code: 'dependency_unavailable' });
  });

  it('says when a write may have been made, so the client retries with its Idempotency-Key', () => {
    expect(toProblem(new TransactionInterrupted('connection_lost', true)).detail).toMatch(/same Idempotency-Key/);
    expect(toProblem(new TransactionInterrupted('connection_lost', false)).detail).not.toMatch(/Idempotency-Key/);
  });

  it('a bug stays a 500', () => {
    expect(toProblem(new TypeError("Cannot read properties of undefined (reading 'socket')"))).toMatchObject({ status: 500 });
    expect(toProblem(driverError('42P01', 'relation "nowhere" does not exist'))).toMatchObject({ status: 500 });
  });
});

describe('bounds and retries', () => {
  it('sets the bound as statement_timeout in the tenant statement: reads and writes have their own', async () => {
    const config = appConfig();
    expect(requestBound(config, 'GET')).toEqual({ readOnly: true, timeoutMs: 5000 });
    expect(requestBound(config, 'HEAD')).toEqual({ readOnly: true, timeoutMs: 5000 });
    expect(requestBound(config, 'POST')).toEqual({ readOnly: false, timeoutMs: 15000 });
    expect(requestBound(appConfig({ DATABASE_WRITE_TIMEOUT_MS: 2500 }), 'PATCH')).toEqual({ readOnly: false, timeoutMs: 2500 });
    const runner = createTenantRunner(config, null, new Date(), { timeoutMs: 4321, readOnly: true });
    const [{ rows }] = await runner.batch((db) => [db.execute<{ timeout: string }>(sql`select current_setting('statement_timeout') as timeout`)]);
    expect(rows[0]?.timeout).toBe('4321ms');
  });

  it.skipIf(!onServer)('a statement that outlasts the bound is cut off: 503 database_timeout', async () => {
    const runner = createTenantRunner(appConfig(), null, new Date(), { timeoutMs: 300, readOnly: true });
    const error = await runner.batch((db) => [db.execute(sql`select pg_sleep(5)`)]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionInterrupted);
    expect(toProblem(error)).toMatchObject({ status: 503, code: 'database_timeout' });
  });

  it.skipIf(!onServer)('a terminated backend is 503; a transaction it cut off before COMMIT runs once more, not twice', async () => {
    const tenant = await createTestTenant();
    const owner = openHttpDatabase(ownerConfig());
    const runner = createTenantRunner(appConfig(), { level: 'unit', unitCode: tenant.unitCode });
    let attempts = 0;
    const error = await runner
      .transaction(async (tx) => {
        attempts += 1;
        const { rows } = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        // Waits until the backend is gone (PostgreSQL 14+), so the next statement meets a closed connection.
        await owner.execute(sql`select pg_terminate_backend(${rows[0]!.pid}::int, 10000::bigint)`);
        await tx.execute(sql`select 1`);
      })
      .catch((caught: unknown) => caught);
    expect(attempts).toBe(2);
    expect(error).toMatchObject({ failure: 'connection_lost', mayHaveCommitted: false });
    expect(toProblem(error)).toMatchObject({ status: 503, code: 'dependency_unavailable' });
  });
});
