import { describe, expect, it } from 'vitest';
import { devVarsMarker, devVarsText, scheduledTriggerUrl, wranglerDevArgs } from '../../scripts/dev-launch.js';

/** What npm start hands wrangler dev, with secrets shaped like the real ones (a private JWK, a password in a URL). */
const settings = {
  DATABASE_URL: 'postgres://sextortion_login:s3cret-Passw0rd@127.0.0.1:5432/sop',
  NEON_LOCAL_ENDPOINT: 'http://127.0.0.1:34679',
  AUTH_JWKS: JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'pub-x', y: 'pub-y', kid: 'dev-1', use: 'sig' }] }),
  TOKEN_SIGNING_KEYS: JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'pub-x', y: 'pub-y', d: 'PRIVATE-scalar-d', kid: 'dev-api-1', alg: 'ES256' }] }),
  CORS_ALLOWED_ORIGINS: 'http://localhost:5173,http://127.0.0.1:5173',
};

/** dotenv's reading of a single-quoted line: the text between the quotes, as is. */
function parseDevVars(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const match = /^([A-Z][A-Z0-9_]*)='([^']*)'$/.exec(line);
        if (!match) throw new Error(`not a single-quoted dotenv line: ${line}`);
        return [match[1]!, match[2]!];
      }),
  );
}

describe('npm start hands wrangler dev its settings (scripts/dev-launch.ts)', () => {
  it('puts no setting on the command line, where the process list shows it', () => {
    const args = wranglerDevArgs({ port: 8787, inspectorPort: 41234 }).join(' ');
    expect(args).not.toContain('--var');
    for (const value of [...Object.values(settings), 's3cret-Passw0rd', 'PRIVATE-scalar-d']) expect(args).not.toContain(value);
    expect(args).toContain('--port 8787');
    expect(args).toContain('--ip 127.0.0.1');
  });

  it('names the inspector port it is given, on loopback, instead of letting wrangler race other workerds for 9229', () => {
    const args = wranglerDevArgs({ port: 8787, inspectorPort: 41234 });
    expect(args[args.indexOf('--inspector-port') + 1]).toBe('41234');
    expect(args[args.indexOf('--inspector-ip') + 1]).toBe('127.0.0.1');
    expect(args.join(' ')).not.toContain('9229');
  });

  it('writes them to .dev.vars as dotenv reads them, every value intact, after the marker that says npm start wrote it', () => {
    const text = devVarsText(settings);
    expect(text.split('\n')[0]).toBe(devVarsMarker);
    expect(parseDevVars(text)).toEqual(settings);
    expect(JSON.parse(parseDevVars(text).TOKEN_SIGNING_KEYS!).keys[0].d).toBe('PRIVATE-scalar-d');
  });

  it('refuses a value .dev.vars cannot carry single-quoted, and a name that is not a variable name', () => {
    expect(() => devVarsText({ NOTE: "it's" })).toThrow(/quote or a line break/);
    expect(() => devVarsText({ NOTE: 'two\nlines' })).toThrow(/quote or a line break/);
    expect(() => devVarsText({ 'BAD NAME': 'x' })).toThrow(/not a variable name/);
  });

  it('serves the scheduled handler to the launcher, which drives it every minute as the Cron Trigger does on Workers', () => {
    expect(wranglerDevArgs({ port: 8787, inspectorPort: 41234 })).toContain('--test-scheduled');
    expect(scheduledTriggerUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787/__scheduled?cron=*%20*%20*%20*%20*');
  });
});
