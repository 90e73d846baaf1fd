import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export interface RunningNpmStart {
  /** http://127.0.0.1:<port> */
  base: string;
  /** A bearer token as a newcomer gets one: `npm run -s token -- <args>`. */
  token(args: string[]): Promise<string>;
  /** The last lines npm start printed, for a failure's message. */
  output(): string;
  /** Stops npm start and everything it started (wrangler, workerd, the database), then removes its data folder. */
  stop(): Promise<void>;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Every process below `pid`, read from /proc: wrangler runs in a process group of its own, so a
 * signal to npm's group alone would miss it (and its workerd) if npm start died before passing it on.
 */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
};

/**
 * The real `npm start` as a child process: on a free loopback port, on an embedded database in a
 * folder of its own (PGLITE_DIR, removed at stop), so it runs beside a developer's. It still writes
 * the checkout's `.dev.vars`, which is why it refuses to start while another npm start holds one.
 */
export async function startNpmStart({ healthyWithinMs = 180_000 } = {}): Promise<RunningNpmStart> {
  if (existsSync(join(root, '.dev.vars'))) {
    throw new Error(`${join(root, '.dev.vars')} exists: npm start is running in this checkout (stop it), or a stopped one left it behind (remove it).`);
  }
  const port = await freeLoopbackPort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(os.tmpdir(), 'sop-npm-start-'));
  // The embedded database always: a developer's DATABASE_URL is not this check's to write into.
  const { DATABASE_URL: _developersDatabase, ...environment } = process.env;
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...environment, PORT: String(port), PGLITE_DIR: join(dataDir, 'pglite'), WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - 200));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));

  let known: number[] = [];
  let stopped: Promise<void> | undefined;
  const killEverything = () => {
    for (const pid of [...descendantsOf(child.pid!), ...known]) signal(pid, 'SIGKILL');
    signal(-child.pid!, 'SIGKILL');
  };
  // Last resort if the test process ends without stop() (an uncaught error): nothing outlives it.
  process.once('exit', killEverything);

  const stop = () =>
    (stopped ??= (async () => {
      known = [...new Set([...known, ...descendantsOf(child.pid!)])];
      // npm start stops wrangler and the database itself on SIGTERM.
      signal(-child.pid!, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && [child.pid!, ...known].some(alive)) await new Promise((resolve) => setTimeout(resolve, 250));
      killEverything();
      process.off('exit', killEverything);
      rmSync(dataDir, { recursive: true, force: true });
    })());

  const output = () => lines.join('\n');
  try {
    const deadline = Date.now() + healthyWithinMs;
    for (;;) {
      if (exited !== undefined) throw new Error(`npm start exited (${exited}) before it was healthy`);
      if (Date.now() > deadline) throw new Error(`npm start was not healthy within ${healthyWithinMs / 1000} s`);
      const status = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) }).then(
        async (response) => {
          await response.body?.cancel();
          return response.status;
        },
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // wrangler and workerd, while they are surely there.
    known = descendantsOf(child.pid!);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- npm start said:\n${output()}`, { cause: error });
  }

  return {
    base,
    output,
    stop,
    async token(args) {
      const { stdout } = await run('npm', ['run', '-s', 'token', '--', ...args], { cwd: root });
      return stdout.trim();
    },
  };
}
