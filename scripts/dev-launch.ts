/**
 * How npm start (scripts/start.ts) hands its settings to wrangler dev: in `.dev.vars`, which
 * wrangler reads from the folder of wrangler.toml, never as `--var` arguments, which anyone on
 * the machine can read in the process list. No Node APIs here, so tests run it in workerd.
 */

/** The first line of a `.dev.vars` that npm start wrote, so it never overwrites or removes one it did not write. */
export const devVarsMarker = '# Written by npm start (scripts/start.ts) for wrangler dev: rewritten at each start, removed at exit. Do not edit.';

/** The settings in dotenv syntax, each value single-quoted so dotenv takes it literally (JSON, URLs). */
export function devVarsText(vars: Record<string, string>): string {
  const lines = Object.entries(vars).map(([name, value]) => {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`${name} is not a variable name`);
    if (/['\r\n]/.test(value)) throw new Error(`${name} holds a quote or a line break, which .dev.vars cannot carry single-quoted`);
    return `${name}='${value}'`;
  });
  return `${devVarsMarker}\n${lines.join('\n')}\n`;
}

/**
 * wrangler dev's arguments: where to listen, and nothing of the settings. The inspector
 * (devtools) port is always named: left to itself wrangler 4.86 probes 9229 and up, and
 * another workerd that takes the port between the probe and the bind stops the start with
 * `bind 127.0.0.1:9229: Address already in use`. The CLI cannot turn the inspector off.
 * `--test-scheduled` serves /__scheduled, which the launcher calls every minute: miniflare
 * does not fire Cron Triggers by itself.
 */
export function wranglerDevArgs(options: { port: number; inspectorPort: number }): string[] {
  return [
    'dev', '--ip', '127.0.0.1', '--port', String(options.port),
    '--inspector-ip', '127.0.0.1', '--inspector-port', String(options.inspectorPort),
    '--show-interactive-dev-session=false',
    '--test-scheduled',
  ];
}

/** What the launcher calls every minute, as the Cron Trigger in wrangler.toml would on Workers. */
export function scheduledTriggerUrl(base: string): string {
  return `${base}/__scheduled?cron=${encodeURIComponent('* * * * *')}`;
}
