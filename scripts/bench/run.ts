import autocannon from 'autocannon';
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import type { PgRaw } from 'drizzle-orm/pg-core/query-builders/raw';
import { createApp } from '../../src/app.js';
import { memoryRateLimiter } from '../../src/rate-limits/limiter.js';
import { findCase } from '../../src/db/queries/cases.js';
import { listCases } from '../../src/db/queries/case-list.js';
import { listDueSteps } from '../../src/db/queries/due-steps.js';
import { openHttpDatabase } from '../../src/db/client.js';
import { parseConfig } from '../../src/env.js';
import { benchDelivery, type DeliveryBench } from './delivery.js';
import { seedScaleTenant, type ScaleTenant } from './seed-scale.js';
import { farDelayMs, farTag, percentile, roundTripsOf, startBenchEnvironment } from './setup.js';

/**
 * npm run bench: round trips and far-database latency per operation, overhead against a bare
 * node:http + pg server in interleaved rounds (BENCH_PAIRS, 5), intake throughput in one unit with
 * 1, 4 and 16 clients (BENCH_INTAKE_CLIENTS), list/search/due at each of BENCH_SIZES with EXPLAIN
 * (seeded by bulk SQL, scripts/bench/seed-scale.ts), the Worker bundle, and webhook
 * delivery under npm start (commit to arrival, and the write's latency with 0 and 100
 * subscriptions; BENCH_DELIVERY=0 skips it, BENCH_DELIVERY_EVENTS sets its writes, 100 by default).
 * Prints a table and writes bench/results.json. DATABASE_URL picks a Postgres server (its
 * owner); without it, the embedded one (smaller sizes: PGlite is slow to seed). The delivery
 * section always runs npm start on an embedded database of its own.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const log = (line: string) => console.log(line);
const duration = Number(process.env.BENCH_SECONDS ?? 10);

const env = await startBenchEnvironment();
const embedded = env.database.kind === 'embedded';
const sizes = (process.env.BENCH_SIZES ?? (embedded ? '10000,100000' : '10000,1000000')).split(',').map(Number);
// In this process there are no Workers rate-limiting bindings: quotas are counted in memory, as on the Node entry.
const rateLimiter = memoryRateLimiter();
const app = createApp({ rateLimiter: () => rateLimiter });

/** `tag` names the endpoint's client (see setup.ts), or is the bindings themselves. */
async function call(tag: string | Record<string, unknown>, path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const response = await app.fetch(
    new Request(`http://bench${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    typeof tag === 'string' ? env.bindings(tag) : tag,
  );
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const intake = () => ({
  complainant: { name: 'Bench complainant', phone: '9812345610', relationToVictim: 'self' },
  victim: { age: 19 },
  incident: { firstContactAt: '2026-11-27T18:30:00Z', platforms: ['instagram'], channels: ['video_call'], imagesCirculated: false },
  identifiers: [{ kind: 'upi', value: 'quickcash@ybl' }, { kind: 'phone', value: '+91 70000 12345' }],
  payments: [{ amount: '5000', paidAt: '2026-11-27T19:10:00Z', method: 'upi', payee: { kind: 'upi', value: 'quickcash@ybl' } }],
});

// ---------------------------------------------------------------- seeding
log(`seeding ${sizes.map((size) => size.toLocaleString('en')).join(', ')} cases (bulk SQL; kept for later runs)`);
// Every size is seeded first: on the embedded database the owner's connection shares PGlite's
// one backend with the API's sessions, so it writes before they start.
const tenants: ScaleTenant[] = [];
for (const size of sizes) tenants.push(await seedScaleTenant(env.database.ownerUrl, size, log, embedded ? { writers: 1 } : {}));
// What the API writes (sections 1 to 3) goes to a new unit each run, so the seeded sizes stay
// what they say, and no run reads the lists an earlier one filled.
const apiUnit = await seedScaleTenant(env.database.ownerUrl, 0, log, { unitCode: `BENCHAPI${Date.now().toString(36).toUpperCase()}` });

/**
 * Statistics as autovacuum keeps them on a maintained database (a server may run without it,
 * as this machine's does): stale ones made a unit's own intake 3.5 times slower (88 against
 * 25 ms), its checklist sync 65-78 ms a statement under statistics of an empty unit. On
 * the embedded database only before the API's sessions start (they share its one backend).
 */
async function maintain(statement: 'VACUUM (ANALYZE)' | 'ANALYZE') {
  const started = Date.now();
  const client = new pg.Client({ connectionString: env.database.ownerUrl });
  await client.connect();
  try {
    await client.query('RESET SESSION AUTHORIZATION');
    await client.query(statement);
  } finally {
    await client.end();
  }
  return (Date.now() - started) / 1000;
}
log(`  VACUUM (ANALYZE): ${(await maintain('VACUUM (ANALYZE)')).toFixed(1)} s`);

// ---------------------------------------------------------------- 1. round trips and far latency
log('1/6 round trips per operation, and latency 20 ms from the database');
const station = apiUnit.stationCodes[0]!;
const officer = await env.token({ roles: ['investigating_officer'], unit: apiUnit.unitCode, station });
const newCase = async (tag: string) => (await call(tag, '/v1/cases', officer, { method: 'POST', body: intake() })).id as string;
const someCase = await newCase('setup');

const operations: Array<{ name: string; run: (tag: string) => Promise<unknown>; prepare?: () => Promise<string> }> = [
  { name: 'create case (intake, checklist, routing)', run: (tag) => newCase(tag) },
  { name: 'read case', run: (tag) => call(tag, `/v1/cases/${someCase}`, officer) },
  { name: 'list cases (station, 50)', run: (tag) => call(tag, '/v1/cases?limit=50', officer) },
  { name: 'search by identifier', run: (tag) => call(tag, '/v1/identifiers/upi/quickcash@ybl/cases', officer) },
  {
    name: 'complete an SOP step',
    prepare: () => newCase('setup'),
    run: async (tag) => call(tag, `/v1/cases/${await preparedCases.shift()}/sop/steps/victim-safety`, officer, { method: 'POST', body: { outcome: 'done' } }),
  },
  { name: 'due list (station)', run: (tag) => call(tag, `/v1/stations/${station}/due?limit=50`, officer) },
];
const preparedCases: string[] = [];
const roundTrips: Array<{ operation: string; roundTrips: number; nearP50Ms: number; farP50Ms: number; farP99Ms: number }> = [];
const samples = embedded ? 8 : 25;
for (const operation of operations) {
  if (operation.prepare) for (let index = 0; index < samples * 3 + 2; index += 1) preparedCases.push(await operation.prepare());
  const tag = `rt-${crypto.randomUUID()}`;
  await operation.run(tag);
  const trips = await roundTripsOf(env.database, tag);
  const time = async (prefix: string) => {
    const times: number[] = [];
    for (let index = 0; index < samples; index += 1) {
      const started = performance.now();
      await operation.run(`${prefix}${crypto.randomUUID()}`);
      times.push(performance.now() - started);
    }
    return times;
  };
  await time('warm-');
  const near = await time('near-');
  const far = await time(farTag);
  roundTrips.push({ operation: operation.name, roundTrips: trips, nearP50Ms: round(percentile(near, 50)), farP50Ms: round(percentile(far, 50)), farP99Ms: round(percentile(far, 99)) });
}

// ---------------------------------------------------------------- 2. overhead against a bare server, in interleaved rounds
const pairs = Math.max(1, Number(process.env.BENCH_PAIRS ?? 5));
log(
  `2/6 overhead: the app on Node (pg, and the Neon driver through the local endpoint) against a bare node:http + pg server doing the same SQL, ` +
    `${pairs} rounds of ${duration} s a server, interleaved`,
);
const config = parseConfig(env.bindings('overhead'));
if (!config.ok) throw new Error(config.problems.join('; '));
const sqlOf = (statement: unknown) => (statement as PgRaw<unknown>).getQuery();
const httpDb = openHttpDatabase(config.config);
const bareSql = {
  readCase: sqlOf(findCase(httpDb, someCase)),
  listCases: sqlOf(listCases(httpDb, { holder: { stationCode: station }, limit: 20 })),
};
/**
 * Starts a bench server in a child process of its own and waits for the port it listens on.
 * BENCH_CPU_PROFILE=<folder>: each server writes a V8 CPU profile there when it stops.
 */
const profileFolder = process.env.BENCH_CPU_PROFILE;
async function child(script: string, settings: Record<string, string>): Promise<{ port: number; stop: () => void }> {
  const profiling = profileFolder ? ['--cpu-prof', `--cpu-prof-dir=${profileFolder}`, `--cpu-prof-name=${script}-${settings.BENCH_BINDINGS?.includes('"DATABASE_DRIVER":"pg"') ? 'pg' : 'neon'}-${process.pid}.cpuprofile`] : [];
  const process_ = fork(join(root, 'scripts/bench', script), { execArgv: ['--import', 'tsx', ...profiling], env: { ...process.env, ...settings }, stdio: 'ignore' });
  const port = await new Promise<number>((resolve, reject) => {
    process_.once('message', (message) => resolve((message as { port: number }).port));
    process_.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { port, stop: () => process_.kill() };
}
const appServer = await child('app-server.ts', { BENCH_BINDINGS: JSON.stringify({ ...env.bindings('overhead'), DATABASE_DRIVER: 'pg', DATABASE_URL: env.database.appUrl }) });
const appOverNeonServer = await child('app-server.ts', { BENCH_BINDINGS: JSON.stringify(env.bindings('overhead')) });
const bareServer = await child('bare-server.ts', {
  BENCH_BARE: JSON.stringify({ databaseUrl: env.database.appUrl, tenant: ['station', apiUnit.unitCode, null, station], queries: { case: bareSql.readCase, cases: bareSql.listCases } }),
});
const [appPort, appOverNeonPort, barePort] = [appServer.port, appOverNeonServer.port, bareServer.port];

interface Load {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}
async function load(options: autocannon.Options): Promise<Load> {
  const result = await autocannon({ connections: 10, duration, ...options });
  return { requestsPerSecond: round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
}
const servers = ['app', 'appOverNeonDriver', 'bare'] as const;
type Server = (typeof servers)[number];
const overhead = [];
for (const [name, appPath, barePath] of [
  ['read case', `/v1/cases/${someCase}`, '/case'],
  ['list cases (20)', '/v1/cases?limit=20', '/cases'],
] as const) {
  const target = (server: Server): autocannon.Options =>
    server === 'bare'
      ? { url: `http://127.0.0.1:${barePort}${barePath}` }
      : { url: `http://127.0.0.1:${server === 'app' ? appPort : appOverNeonPort}${appPath}`, headers: { Authorization: `Bearer ${officer}` } };
  // Unmeasured: the JIT, the pools and the caches of each server warm up first.
  for (const server of servers) await load({ ...target(server), duration: 1 });
  const rounds: Array<Record<Server, Load> & { ratio: number; neonDriverRatio: number }> = [];
  for (let index = 0; index < pairs; index += 1) {
    // Every round runs each server once and divides by its own bare run; the order turns round
    // each time, so a drift in the machine's load (other work, a checkpoint) falls on both sides.
    const order = index % 2 === 0 ? servers : [...servers].reverse();
    const measured = {} as Record<Server, Load>;
    for (const server of order) measured[server] = await load(target(server));
    rounds.push({
      ...measured,
      ratio: round(measured.app.requestsPerSecond / measured.bare.requestsPerSecond, 2),
      neonDriverRatio: round(measured.appOverNeonDriver.requestsPerSecond / measured.bare.requestsPerSecond, 2),
    });
    log(`  ${name}, round ${index + 1}/${pairs}: app ${measured.app.requestsPerSecond} req/s, Neon driver ${measured.appOverNeonDriver.requestsPerSecond}, bare ${measured.bare.requestsPerSecond}`);
  }
  overhead.push({
    operation: name,
    rounds: rounds.length,
    app: medianLoad(rounds.map((r) => r.app)),
    appOverNeonDriver: medianLoad(rounds.map((r) => r.appOverNeonDriver)),
    bare: medianLoad(rounds.map((r) => r.bare)),
    ratio: spread(rounds.map((r) => r.ratio)),
    neonDriverRatio: spread(rounds.map((r) => r.neonDriverRatio)),
    perRound: rounds,
  });
}
bareServer.stop();

// ---------------------------------------------------------------- 3. intake in one unit
const clientCounts = (process.env.BENCH_INTAKE_CLIENTS ?? '1,4,16').split(',').map(Number);
log(`3/6 intake in one unit (${apiUnit.unitCode}, ${apiUnit.stationCodes.length} stations): ${clientCounts.join(', ')} clients writing at once, ${duration} s each`);
// An officer a station, taken in turn: the clients write into every station of the one unit.
const intakeOfficers = await Promise.all(apiUnit.stationCodes.map((code) => env.token({ roles: ['investigating_officer'], unit: apiUnit.unitCode, station: code })));
const intakeBody = JSON.stringify(intake());
let nextOfficer = 0;
const intakeLoad = (port: number, clients: number, seconds = duration) =>
  load({
    url: `http://127.0.0.1:${port}`,
    connections: clients,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/cases',
        setupRequest: (request) => ({
          ...request,
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${intakeOfficers[nextOfficer++ % intakeOfficers.length]}` },
          body: intakeBody,
        }),
      },
    ],
  });
/**
 * autocannon stops at its duration without waiting for the requests still out, and those hold
 * the server (and any lock the unit's writes share) into the next run: one more intake, sent
 * after them, returns once they are done.
 */
async function settle(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/v1/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${intakeOfficers[0]}` },
    body: intakeBody,
  });
  await response.arrayBuffer();
}
const intakeThroughput: Array<{ driver: string; clients: number } & Load & { againstOneClient: number }> = [];
for (const [driver, port] of [
  ['pg', appPort],
  ['Neon driver', appOverNeonPort],
] as const) {
  await intakeLoad(port, 4, 1);
  await settle(port);
  for (const clients of clientCounts) {
    // The unit grows by every run: its statistics follow, as autovacuum's analyze would.
    if (!embedded) await maintain('ANALYZE');
    const measured = await intakeLoad(port, clients);
    await settle(port);
    const one = intakeThroughput.find((row) => row.driver === driver && row.clients === 1)?.requestsPerSecond;
    intakeThroughput.push({ driver, clients, ...measured, againstOneClient: one ? round(measured.requestsPerSecond / one, 2) : NaN });
    log(`  ${driver}, ${clients} client${clients === 1 ? '' : 's'}: ${measured.requestsPerSecond} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms${measured.errors ? `, ${measured.errors} errors` : ''}`);
  }
}
appServer.stop();
appOverNeonServer.stop();

// ---------------------------------------------------------------- 4. scale
log(`4/6 scale: the same queries at ${sizes.map((size) => size.toLocaleString('en')).join(', ')} cases`);
// A query that outgrows the API's 5 s read bound at a large size is timed, not dropped; each is
// sampled 40 times (10 embedded), or for 30 s once it has 5 samples.
const scaleBindings = { ...env.bindings('scale'), DATABASE_READ_TIMEOUT_MS: '120000' };
const scale: Array<{
  cases: number;
  seededSeconds: number;
  p50Ms: Record<string, number>;
  samples: Record<string, number>;
  /** How many rows each query's page held: a due list of 0 would time an empty walk. */
  rows: Record<string, number>;
  dueCounts: Record<string, number>;
  plans: Record<string, { indexes: string[]; sorts: boolean; executionMs: number }>;
}> = [];
for (const tenant of tenants) {
  const stationOfficer = await env.token({ roles: ['investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] });
  const unitAdmin = await env.token({ roles: ['unit_admin'], unit: tenant.unitCode });
  const queries = [
    { name: 'list: a station\'s newest 50', path: '/v1/cases?limit=50', token: stationOfficer },
    { name: 'list: the unit\'s open cases, one status', path: '/v1/cases?limit=50&status=under_investigation', token: unitAdmin },
    { name: 'search: one UPI address', path: '/v1/identifiers/upi/quickcash@ybl/cases', token: unitAdmin },
    { name: 'due list: a station, soonest 50', path: `/v1/stations/${tenant.stationCodes[0]}/due?limit=50`, token: stationOfficer },
  ];
  const timings: Record<string, number> = {};
  const samples: Record<string, number> = {};
  const rows: Record<string, number> = {};
  let dueCounts: Record<string, number> = {};
  for (const query of queries) {
    const page = await call(scaleBindings, query.path, query.token).catch((error: unknown) => {
      // Past even the long bound: the row says so, and the other sizes and sections still run.
      log(`  ${tenant.unitCode}, ${query.name}: ${String(error).slice(0, 200)}`);
      return undefined;
    });
    if (!page) {
      timings[query.name] = NaN;
      samples[query.name] = 0;
      continue;
    }
    rows[query.name] = (page.data as unknown[]).length;
    if (page.counts) dueCounts = page.counts as Record<string, number>;
    for (let warmup = 0; warmup < 2; warmup += 1) await call(scaleBindings, query.path, query.token);
    const times: number[] = [];
    const began = performance.now();
    while (times.length < (embedded ? 10 : 40) && (times.length < 5 || performance.now() - began < 30_000)) {
      const started = performance.now();
      await call(scaleBindings, query.path, query.token);
      times.push(performance.now() - started);
    }
    timings[query.name] = round(percentile(times, 50), 2);
    samples[query.name] = times.length;
  }
  scale.push({ cases: tenant.cases, seededSeconds: round(tenant.seededSeconds), p50Ms: timings, samples, rows, dueCounts, plans: await explainPlans(tenant) });
  if (rows['due list: a station, soonest 50'] === 0) log(`  ${tenant.unitCode}: the due list of ${tenant.stationCodes[0]} came back EMPTY: its row times an empty walk`);
}

/** EXPLAIN ANALYZE of the list, search and due queries as the app role in the tenant's context: which indexes they use. */
async function explainPlans(tenant: ScaleTenant) {
  const client = new pg.Client({ connectionString: env.database.appUrl });
  await client.connect();
  const plans: Record<string, { indexes: string[]; sorts: boolean; executionMs: number }> = {};
  const statements = {
    'list (station)': sqlOf(listCases(httpDb, { holder: { stationCode: tenant.stationCodes[0]! }, limit: 50 })),
    'search (identifier)': sqlOf(listCases(httpDb, { identifier: { kind: 'upi', normalized: 'quickcash@ybl' }, limit: 50 })),
    'due (station)': sqlOf(listDueSteps(httpDb, { scope: { stationCode: tenant.stationCodes[0]! }, soonMinutes: 60, dueNowOnly: true, limit: 50 })),
  };
  try {
    for (const [name, query] of Object.entries(statements)) {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', 'sextortion_app', true)`);
      await client.query('SELECT app.enter_tenant($1, $2, $3, $4)', ['station', tenant.unitCode, null, tenant.stationCodes[0]]);
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, query.params as unknown[]);
      await client.query('ROLLBACK');
      const plan = (rows[0] as { 'QUERY PLAN': Array<{ Plan: unknown; 'Execution Time': number }> })['QUERY PLAN'][0]!;
      plans[name] = { indexes: [...new Set(indexNames(plan.Plan))], sorts: nodeTypes(plan.Plan).includes('Sort'), executionMs: round(plan['Execution Time'], 2) };
    }
  } finally {
    await client.end();
  }
  return plans;
}

function nodeTypes(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const { 'Node Type': type, Plans: children } = node as { 'Node Type'?: string; Plans?: unknown[] };
  return [...(type ? [type] : []), ...(children ?? []).flatMap(nodeTypes)];
}

function indexNames(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const { 'Index Name': index, Plans: children } = node as { 'Index Name'?: string; Plans?: unknown[] };
  return [...(index ? [index] : []), ...(children ?? []).flatMap(indexNames)];
}

// ---------------------------------------------------------------- 5. bundle
log('5/6 the Worker bundle (wrangler deploy --dry-run)');
const outdir = mkdtempSync(join(os.tmpdir(), 'bench-bundle-'));
execFileSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
  cwd: root,
  stdio: 'ignore',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
});
const bundleFile = readdirSync(outdir).find((file) => file.endsWith('.js'))!;
const bundleBytes = readFileSync(join(outdir, bundleFile));
const bundle = { rawKiB: round(bundleBytes.length / 1024, 1), gzipKiB: round(gzipSync(bundleBytes).length / 1024, 1) };
rmSync(outdir, { recursive: true, force: true });

await env.close();

// ---------------------------------------------------------------- 6. webhook delivery under npm start
let delivery: DeliveryBench | undefined;
if (process.env.BENCH_DELIVERY === '0') log('6/6 webhook delivery: skipped (BENCH_DELIVERY=0)');
else {
  log('6/6 webhook delivery under npm start: commit to arrival at a loopback receiver, and the write\'s latency with 0 and 100 subscriptions');
  delivery = await benchDelivery({ events: Number(process.env.BENCH_DELIVERY_EVENTS ?? 100), log });
}

// ---------------------------------------------------------------- report
const machine = { cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, database: embedded ? 'embedded (PGlite)' : 'PostgreSQL server' };
const scaleRatios = Object.keys(scale[0]!.p50Ms).map((name) => ({ query: name, ratio: round(scale.at(-1)!.p50Ms[name]! / scale[0]!.p50Ms[name]!, 2) }));
const seeding = scale.map((size) => ({ cases: size.cases, seconds: size.seededSeconds }));
const results = { ranAt: new Date().toISOString(), machine, farDelayMs, roundTrips, overhead, intakeThroughput, scale, scaleRatios, seeding, bundle, delivery };
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

log(`\nmachine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}\n`);
console.table(roundTrips.map((row) => ({ operation: row.operation, 'round trips': row.roundTrips, 'p50 ms': row.nearP50Ms, [`p50 ms, ${farDelayMs} ms away`]: row.farP50Ms, [`p99 ms, ${farDelayMs} ms away`]: row.farP99Ms })));
console.table(
  overhead.map((row) => ({
    operation: row.operation,
    'app (pg) req/s': row.app.requestsPerSecond,
    'p50/p99 ms': `${row.app.p50Ms}/${row.app.p99Ms}`,
    'app (Neon driver) req/s': row.appOverNeonDriver.requestsPerSecond,
    'p50/p99 ms ': `${row.appOverNeonDriver.p50Ms}/${row.appOverNeonDriver.p99Ms}`,
    'bare req/s': row.bare.requestsPerSecond,
    ' p50/p99 ms': `${row.bare.p50Ms}/${row.bare.p99Ms}`,
    [`ratio, median of ${row.rounds} (min–max)`]: `${row.ratio.median} (${row.ratio.min}–${row.ratio.max})`,
    'ratio, Neon driver': `${row.neonDriverRatio.median} (${row.neonDriverRatio.min}–${row.neonDriverRatio.max})`,
  })),
);
log(`intake in one unit (${apiUnit.unitCode}, new this run), autocannon, POST /v1/cases from officers of its ${apiUnit.stationCodes.length} stations in turn:`);
console.table(
  intakeThroughput.map((row) => ({
    driver: row.driver,
    clients: row.clients,
    'req/s': row.requestsPerSecond,
    'p50/p99 ms': `${row.p50Ms}/${row.p99Ms}`,
    errors: row.errors,
    'against 1 client': row.againstOneClient,
  })),
);
console.table(scaleRatios.map((row) => ({ query: row.query, ...Object.fromEntries(scale.map((size) => [`p50 ms at ${size.cases}`, size.p50Ms[row.query]])), ratio: row.ratio })));
for (const size of scale) {
  const due = size.dueCounts;
  log(`due list at ${size.cases}: ${size.rows['due list: a station, soonest 50']} rows on the page, of ${due.overdue} overdue, ${due.dueSoon} due soon and ${due.later} later at the station`);
  const cut = Object.entries(size.samples).filter(([, count]) => count < (embedded ? 10 : 40));
  if (cut.length) log(`  at ${size.cases}, sampled for 30 s only: ${cut.map(([name, count]) => `${name} (${count} samples)`).join('; ')}`);
}
log(`seeding: ${seeding.map((row) => (row.seconds ? `${row.cases.toLocaleString('en')} cases in ${row.seconds} s` : `${row.cases.toLocaleString('en')} cases already there`)).join('; ')}`);
for (const size of scale) log(`plans at ${size.cases}: ${Object.entries(size.plans).map(([name, plan]) => `${name} → ${plan.indexes.join(', ') || 'no index'}${plan.sorts ? ' (+ sort)' : ''}`).join('; ')}`);
log(`bundle: ${bundle.rawKiB} KiB raw, ${bundle.gzipKiB} KiB gzipped`);
if (delivery) {
  const { commitToDelivery: toArrival, requestLatency, fanOut } = delivery;
  log(`\nwebhook delivery (${delivery.where}):`);
  console.table([
    { measure: `commit to arrival, ${toArrival.samples} events`, 'p50 ms': toArrival.p50Ms, 'p99 ms': toArrival.p99Ms, 'max ms': toArrival.maxMs, note: `target p50 ≤ ${toArrival.targetP50Ms} ms: ${toArrival.meetsTarget ? 'met' : 'NOT met'}${toArrival.missing ? `; ${toArrival.missing} never arrived` : ''}` },
    { measure: 'intake latency, 0 subscriptions', 'p50 ms': requestLatency.withoutSubscriptions.p50Ms, 'p99 ms': requestLatency.withoutSubscriptions.p99Ms, 'max ms': requestLatency.withoutSubscriptions.maxMs, note: `${requestLatency.withoutSubscriptions.samples} writes` },
    { measure: `intake latency, ${fanOut.subscriptions} subscriptions`, 'p50 ms': requestLatency.with100Subscriptions.p50Ms, 'p99 ms': requestLatency.with100Subscriptions.p99Ms, 'max ms': requestLatency.with100Subscriptions.maxMs, note: `${requestLatency.with100Subscriptions.samples} writes; p50 ${requestLatency.p50DifferenceMs >= 0 ? '+' : ''}${requestLatency.p50DifferenceMs} ms against 0` },
    { measure: `  the same, deliveries of earlier writes going out`, 'p50 ms': requestLatency.with100SubscriptionsUnderBacklog.p50Ms, 'p99 ms': requestLatency.with100SubscriptionsUnderBacklog.p99Ms, 'max ms': requestLatency.with100SubscriptionsUnderBacklog.maxMs, note: 'one workerd, one embedded-Postgres backend shared' },
    { measure: `commit to the last of ${fanOut.subscriptions} deliveries`, 'p50 ms': fanOut.commitToLastOf100.p50Ms, 'p99 ms': fanOut.commitToLastOf100.p99Ms, 'max ms': fanOut.commitToLastOf100.maxMs, note: fanOut.undelivered ? `${fanOut.undelivered} deliveries not in after 20 s` : 'all arrived' },
  ]);
}
log('written: bench/results.json');
process.exit(0);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function spread(values: number[]) {
  return { median: round(median(values), 2), min: Math.min(...values), max: Math.max(...values) };
}

/** The median of each figure over the rounds (each on its own, so not one round's row). */
function medianLoad(loads: Load[]): Load {
  return {
    requestsPerSecond: round(median(loads.map((load) => load.requestsPerSecond))),
    p50Ms: median(loads.map((load) => load.p50Ms)),
    p99Ms: median(loads.map((load) => load.p99Ms)),
    errors: loads.reduce((sum, load) => sum + load.errors, 0),
  };
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
