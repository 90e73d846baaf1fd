import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintDevToken } from '../dev-identity.js';
import { startBenchEnvironment } from './setup.js';

/**
 * npm run bench:soak: the API under a steady load (SOAK_RATE requests a second for
 * SOAK_SECONDS: intakes, case reads, lists and due lists), its resident memory sampled
 * every few seconds. Reported, never asserted. SOAK_TARGET:
 *   node (default)  the Node entry in a process of its own, node-postgres and the Neon driver in turn
 *   npm-start       an `npm start` already running on 127.0.0.1:8787 (its workerd processes are sampled)
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const rate = Number(process.env.SOAK_RATE ?? 20);
const target = process.env.SOAK_TARGET ?? 'node';
const sampleEveryMs = 5_000;

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface SoakResult {
  target: string;
  seconds: number;
  requests: number;
  failures: number;
  processes: Array<{ pid: number; name: string; rssStartMb: number; rssEndMb: number; samplesMb: number[] }>;
  /** The Node entry only: the heap in use after a full collection, at the start and the end. */
  heapAfterCollectionMb?: { start: number; end: number };
}

function heapAfterCollection(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const answer = (message: { memory?: NodeJS.MemoryUsage }) => {
      if (!message.memory) return;
      child.off('message', answer);
      resolve(Math.round(message.memory.heapUsed / 1024 / 1024));
    };
    child.on('message', answer);
    child.send('memory');
  });
}

/** Officers enough that no one caller's quota (600 a minute by default) is what the soak measures. */
const officers = Math.max(1, Math.ceil((rate * 60) / 400));

async function soak(baseUrl: string, tokens: string[], stationCode: string, pids: Array<{ pid: number; name: string }>, name: string): Promise<SoakResult> {
  const headersOf = (index: number) => ({ Authorization: `Bearer ${tokens[index % tokens.length]}`, 'Content-Type': 'application/json' });
  const caseIds: string[] = [];
  let requests = 0;
  let failures = 0;
  const samples = new Map(pids.map(({ pid }) => [pid, [rssMegabytes(pid)]]));
  const sampler = setInterval(() => pids.forEach(({ pid }) => samples.get(pid)!.push(rssMegabytes(pid))), sampleEveryMs);
  const call = async (path: string, init: RequestInit = {}) => {
    requests += 1;
    try {
      const response = await fetch(`${baseUrl}${path}`, { ...init, headers: headersOf(requests), signal: AbortSignal.timeout(10_000) });
      if (response.status >= 400) failures += 1;
      return response.ok ? ((await response.json()) as Record<string, unknown>) : (await response.body?.cancel(), undefined);
    } catch {
      failures += 1;
      return undefined;
    }
  };
  const one = async (index: number) => {
    if (index % 5 === 0 || caseIds.length === 0) {
      const now = Date.now();
      const body = {
        complainant: { name: 'Soak Complainant', phone: '98123 45610' },
        victim: { age: 19 },
        incident: { firstContactAt: new Date(now - 3_600_000).toISOString(), platforms: ['instagram'], imagesCirculated: false },
        identifiers: [{ kind: 'upi', value: `soak${index}@ybl` }],
        payments: [{ amount: '500', paidAt: new Date(now - 1_800_000).toISOString(), method: 'upi' }],
      };
      const created = await call('/v1/cases', { method: 'POST', body: JSON.stringify(body) });
      if (created?.id) caseIds.push(String(created.id));
    } else if (index % 5 === 1) {
      await call('/v1/cases?limit=20');
    } else if (index % 5 === 2) {
      await call(`/v1/stations/${stationCode}/due`);
    } else {
      await call(`/v1/cases/${caseIds[index % caseIds.length]}`);
    }
  };
  const started = Date.now();
  const inFlight = new Set<Promise<void>>();
  for (let index = 0; Date.now() - started < seconds * 1000; index += 1) {
    const due = started + (index * 1000) / rate;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const request = one(index).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  clearInterval(sampler);
  pids.forEach(({ pid }) => samples.get(pid)!.push(rssMegabytes(pid)));
  return {
    target: name,
    seconds,
    requests,
    failures,
    processes: pids.map(({ pid, name: processName }) => {
      const taken = samples.get(pid)!.map((mb) => Math.round(mb));
      return { pid, name: processName, rssStartMb: taken[0]!, rssEndMb: taken.at(-1)!, samplesMb: taken };
    }),
  };
}

async function onNode(): Promise<SoakResult[]> {
  const env = await startBenchEnvironment();
  const results: SoakResult[] = [];
  try {
    const tokens = await Promise.all(Array.from({ length: officers }, (_, index) => env.token({ roles: ['duty_officer'], unit: 'MH', station: 'MH-PUNE-SHIVAJINAGAR', sub: `soak-officer-${index}` })));
    for (const [name, bindings] of [
      ['node entry, node-postgres', { ...env.bindings('soak-pg'), DATABASE_DRIVER: 'pg', DATABASE_URL: env.database.appUrl }],
      ['node entry, Neon driver through the local endpoint', env.bindings('soak-neon')],
    ] as const) {
      const child: ChildProcess = fork(join(root, 'scripts/bench/app-server.ts'), { execArgv: ['--import', 'tsx', '--expose-gc'], env: { ...process.env, BENCH_BINDINGS: JSON.stringify(bindings) }, stdio: 'ignore' });
      const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)));
      try {
        await soak(`http://127.0.0.1:${port}`, tokens, 'MH-PUNE-SHIVAJINAGAR', [{ pid: child.pid!, name: 'node' }], `${name} (warm-up)`);
        const start = await heapAfterCollection(child);
        const result = await soak(`http://127.0.0.1:${port}`, tokens, 'MH-PUNE-SHIVAJINAGAR', [{ pid: child.pid!, name: 'node' }], name);
        results.push({ ...result, heapAfterCollectionMb: { start, end: await heapAfterCollection(child) } });
      } finally {
        child.kill();
      }
    }
  } finally {
    await env.close();
  }
  return results;
}

async function underNpmStart(): Promise<SoakResult[]> {
  // This checkout's workerd processes only (wrangler dev runs two: the API and its proxy).
  const pids = execFileSync('pgrep', ['-f', `${root}node_modules/.*workerd serve`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  if (pids.length === 0) throw new Error('start the API with npm start first');
  const tokens = await Promise.all(
    Array.from({ length: officers }, (_, index) => mintDevToken({ sub: `soak-officer-${index}`, roles: ['duty_officer'], unit: 'MH', station: 'MH-PUNE-SHIVAJINAGAR' }, 1)),
  );
  return [await soak('http://127.0.0.1:8787', tokens, 'MH-PUNE-SHIVAJINAGAR', pids.map((pid) => ({ pid, name: 'workerd' })), 'npm start (wrangler dev, workerd)')];
}

const results = target === 'npm-start' ? await underNpmStart() : await onNode();
for (const result of results) {
  const growth = result.processes.map((p) => `${p.name} ${p.rssStartMb} → ${p.rssEndMb} MB`).join(', ');
  const heap = result.heapAfterCollectionMb ? `; heap after a full collection ${result.heapAfterCollectionMb.start} → ${result.heapAfterCollectionMb.end} MB` : '';
  console.log(`${result.target}: ${result.requests} requests in ${result.seconds} s (${result.failures} failed); RSS ${growth}${heap}`);
}
writeFileSync(join(root, 'bench', `soak-${target}.json`), `${JSON.stringify({ measuredAt: new Date().toISOString(), rate, results }, null, 2)}\n`);
