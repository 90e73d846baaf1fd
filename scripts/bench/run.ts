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
 * node:http + pg server, list/search/due at two sizes with EXPLAIN, the Worker bundle, and webhook
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

async function call(tag: string, path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const response = await app.fetch(
    new Request(`http://bench${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    env.bindings(tag),
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

// ---------------------------------------------------------------- 1. round trips and far latency
log('1/5 round trips per operation, and latency 20 ms from the database');
// Every size is seeded first: on the embedded database the owner's connection shares PGlite's
// one backend with the API's sessions, so it writes before they start.
const tenants: ScaleTenant[] = [];
for (const size of sizes) tenants.push(await seedScaleTenant(env.database.ownerUrl, size, log));
const small = tenants[0]!;
const station = small.stationCodes[0]!;
const officer = await env.token({ roles: ['investigating_officer'], unit: small.unitCode, station });
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

// ---------------------------------------------------------------- 2. overhead against a bare server
log('2/5 overhead: the app on Node (pg, and the Neon driver through the local endpoint) against a bare node:http + pg server doing the same SQL');
const config = parseConfig(env.bindings('overhead'));
if (!config.ok) throw new Error(config.problems.join('; '));
const sqlOf = (statement: unknown) => (statement as PgRaw<unknown>).getQuery();
const httpDb = openHttpDatabase(config.config);
const bareSql = {
  readCase: sqlOf(findCase(httpDb, someCase)),
  listCases: sqlOf(listCases(httpDb, { holder: { stationCode: station }, limit: 20 })),
};
/** Starts a bench server in a child process of its own and waits for the port it listens on. */
async function child(script: string, settings: Record<string, string>): Promise<{ port: number; stop: () => void }> {
  const process_ = fork(join(root, 'scripts/bench', script), { execArgv: ['--import', 'tsx'], env: { ...process.env, ...settings }, stdio: 'ignore' });
  const port = await new Promise<number>((resolve, reject) => {
    process_.once('message', (message) => resolve((message as { port: number }).port));
    process_.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { port, stop: () => process_.kill() };
}
const appServer = await child('app-server.ts', { BENCH_BINDINGS: JSON.stringify({ ...env.bindings('overhead'), DATABASE_DRIVER: 'pg', DATABASE_URL: env.database.appUrl }) });
const appOverNeonServer = await child('app-server.ts', { BENCH_BINDINGS: JSON.stringify(env.bindings('overhead')) });
const bareServer = await child('bare-server.ts', {
  BENCH_BARE: JSON.stringify({ databaseUrl: env.database.appUrl, tenant: ['station', small.unitCode, null, station], queries: { case: bareSql.readCase, cases: bareSql.listCases } }),
});
const [appPort, appOverNeonPort, barePort] = [appServer.port, appOverNeonServer.port, bareServer.port];

async function load(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: 10, duration, headers });
  return { requestsPerSecond: round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.non2xx };
}
const overhead = [];
for (const [name, appPath, barePath] of [
  ['read case', `/v1/cases/${someCase}`, '/case'],
  ['list cases (20)', '/v1/cases?limit=20', '/cases'],
] as const) {
  const api = await load(`http://127.0.0.1:${appPort}${appPath}`, { Authorization: `Bearer ${officer}` });
  const overNeon = await load(`http://127.0.0.1:${appOverNeonPort}${appPath}`, { Authorization: `Bearer ${officer}` });
  const floor = await load(`http://127.0.0.1:${barePort}${barePath}`);
  overhead.push({
    operation: name,
    app: api,
    appOverNeonDriver: overNeon,
    bare: floor,
    throughputRatio: round(api.requestsPerSecond / floor.requestsPerSecond, 2),
    neonDriverRatio: round(overNeon.requestsPerSecond / floor.requestsPerSecond, 2),
  });
}
appServer.stop();
appOverNeonServer.stop();
bareServer.stop();

// ---------------------------------------------------------------- 3. scale
log(`3/5 scale: the same queries at ${sizes.join(' and ')} cases`);
const scale: Array<{ cases: number; p50Ms: Record<string, number>; plans: Record<string, { indexes: string[]; sorts: boolean; executionMs: number }> }> = [];
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
  for (const query of queries) {
    for (let warmup = 0; warmup < 3; warmup += 1) await call('scale', query.path, query.token);
    const times: number[] = [];
    for (let index = 0; index < (embedded ? 10 : 40); index += 1) {
      const started = performance.now();
      await call('scale', query.path, query.token);
      times.push(performance.now() - started);
    }
    timings[query.name] = round(percentile(times, 50), 2);
  }
  scale.push({ cases: tenant.cases, p50Ms: timings, plans: await explainPlans(tenant) });
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

// ---------------------------------------------------------------- 4. bundle
log('4/5 the Worker bundle (wrangler deploy --dry-run)');
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

// ---------------------------------------------------------------- 5. webhook delivery under npm start
let delivery: DeliveryBench | undefined;
if (process.env.BENCH_DELIVERY === '0') log('5/5 webhook delivery: skipped (BENCH_DELIVERY=0)');
else {
  log('5/5 webhook delivery under npm start: commit to arrival at a loopback receiver, and the write\'s latency with 0 and 100 subscriptions');
  delivery = await benchDelivery({ events: Number(process.env.BENCH_DELIVERY_EVENTS ?? 100), log });
}

// ---------------------------------------------------------------- report
const machine = { cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, database: embedded ? 'embedded (PGlite)' : 'PostgreSQL server' };
const scaleRatios = Object.keys(scale[0]!.p50Ms).map((name) => ({ query: name, ratio: round(scale.at(-1)!.p50Ms[name]! / scale[0]!.p50Ms[name]!, 2) }));
const results = { ranAt: new Date().toISOString(), machine, farDelayMs, roundTrips, overhead, scale, scaleRatios, bundle, delivery };
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
    ratio: row.throughputRatio,
    'ratio (Neon driver)': row.neonDriverRatio,
  })),
);
console.table(scaleRatios.map((row) => ({ query: row.query, ...Object.fromEntries(scale.map((size) => [`p50 ms at ${size.cases}`, size.p50Ms[row.query]])), ratio: row.ratio })));
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

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
