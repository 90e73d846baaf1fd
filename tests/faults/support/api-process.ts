import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ApiProcess {
  url: string;
  /** The role the API logs in as: the backends the suite terminates. */
  loginRole: string;
  /** Whether the process is still running, and how it ended if not. */
  exited(): string | undefined;
  /** The last of what the process wrote, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('./serve-api.ts', import.meta.url));
const keptOutput = 20_000;

/** Starts the API (tests/faults/support/serve-api.ts) in a child process and waits until it listens. */
export async function startApiProcess(options: { serverUrl: string; driver: 'neon' | 'pg'; bindings: Record<string, string> }): Promise<ApiProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, FAULT_API_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: string | undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-keptOutput);
  };
  child.stderr!.on('data', keep);
  child.on('exit', (code, signal) => {
    exit = `exited with ${signal ?? `code ${code}`}`;
  });

  const ready = await new Promise<{ url: string; loginRole: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start within 60 s:\n${output}`));
    }, 60_000);
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{"url"')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; loginRole: string });
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the API ${exit}:\n${output}`));
    });
  });

  return {
    ...ready,
    exited: () => exit,
    output: () => output,
    async stop() {
      if (exit) return;
      const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await ended;
      clearTimeout(timer);
    },
  };
}
