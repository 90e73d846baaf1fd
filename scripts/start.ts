import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { demoProviderSigningKey, devAudience, devDataDir, devIssuer, devPublicJwks, devTokenSigningKeys, mintDevToken } from './dev-identity.js';
import { newSigningKey, registerDemoIdentityProvider, startDemoIdentityProvider, type DemoIdentityProvider } from './demo-identity-provider.js';
import { Cron } from 'croner';
import { devVarsMarker, devVarsText, scheduledTriggerUrl, wranglerDevArgs } from './dev-launch.js';
import { startLocalDatabase } from './local-db/local-database.js';
import { seedDemoClients } from './local-db/seed.js';

/**
 * npm start: the API in the real Workers runtime (wrangler dev) on http://127.0.0.1:8787,
 * on embedded Postgres persisted under .data/ (or the server at DATABASE_URL), migrated and
 * seeded with the demo tenancy. PORT moves the API; PGLITE_DIR moves the embedded database's
 * folder (the end-to-end check runs its own there, beside a developer's).
 */
const apiPort = Number(process.env.PORT ?? 8787);
const serverUrl = process.env.DATABASE_URL || undefined;
const pgliteDir = process.env.PGLITE_DIR || fileURLToPath(new URL('pglite', devDataDir));

// wrangler dev reads .dev.vars from wrangler.toml's folder (git-ignored): the settings, secrets
// included, go there with mode 600 instead of onto a command line that `ps` shows everyone.
const projectDir = fileURLToPath(new URL('..', import.meta.url));
const devVarsPath = fileURLToPath(new URL('../.dev.vars', import.meta.url));
const devVarsAreOurs = () => existsSync(devVarsPath) && readFileSync(devVarsPath, 'utf8').startsWith(devVarsMarker);
if (existsSync(devVarsPath) && !devVarsAreOurs()) {
  console.error(`${devVarsPath} was not written by npm start. Move it away: npm start hands wrangler dev its settings in that file.`);
  process.exit(1);
}
function removeDevVars() {
  if (devVarsAreOurs()) rmSync(devVarsPath);
}

/** A loopback port the system has free now (it hands out ephemeral ports in turn, so not one another wrangler is about to take). */
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

console.log(serverUrl ? 'Using the Postgres server at DATABASE_URL…' : `Starting embedded Postgres (PGlite) in ${pgliteDir}…`);
const database = await startLocalDatabase({
  serverUrl,
  dataDir: serverUrl ? undefined : pgliteDir,
  seed: true,
});

const demoClients = await seedDemoClients(database.ownerUrl);

const vars = {
  DATABASE_URL: database.appUrl,
  NEON_LOCAL_ENDPOINT: database.endpoint.url,
  AUTH_ISSUER: devIssuer,
  AUTH_AUDIENCE: devAudience,
  AUTH_JWKS: await devPublicJwks(),
  TOKEN_SIGNING_KEYS: await devTokenSigningKeys(),
  TOKEN_ISSUER: 'urn:sextortion-sop-api:dev',
  CORS_ALLOWED_ORIGINS: 'http://localhost:5173,http://127.0.0.1:5173',
  // Local development only (never in wrangler.toml): webhook receivers and key sets on this
  // machine's loopback are accepted, over http, on any port.
  ALLOW_LOOPBACK_JWKS: 'true',
};

// Created afresh (flag wx) so the mode applies; the marker lets the next start replace it.
removeDevVars();
writeFileSync(devVarsPath, devVarsText(vars), { mode: 0o600, flag: 'wx' });

// The owner's DATABASE_URL stays out of wrangler's and workerd's environment: the Worker gets its own login through .dev.vars.
const { DATABASE_URL: _ownerUrl, ...environment } = process.env;
// Its own process group, so stopping npm start stops wrangler and workerd with it.
const wrangler = spawn(fileURLToPath(new URL('../node_modules/.bin/wrangler', import.meta.url)), wranglerDevArgs({ port: apiPort, inspectorPort: await freeLoopbackPort() }), {
  cwd: projectDir,
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
  env: { ...environment, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
});
wrangler.stdout.on('data', (chunk: Buffer) => {
  const text = chunk.toString();
  if (!/Your Worker has access to the following bindings|Binding|env\.|--var|Vars/.test(text)) process.stdout.write(text);
});

const base = `http://127.0.0.1:${apiPort}`;
// The Cron Trigger of wrangler.toml, which miniflare does not fire: every minute, never two at
// once, from the moment the API is healthy.
const minuteSweep = new Cron('* * * * *', { protect: true, paused: true }, async () => {
  try {
    const response = await fetch(scheduledTriggerUrl(base), { signal: AbortSignal.timeout(55_000) });
    if (!response.ok) console.error(`the minute sweep answered ${response.status}`);
    await response.body?.cancel();
  } catch (error) {
    console.error('the minute sweep could not be triggered:', error);
  }
});

let demoIdentityProvider: DemoIdentityProvider | undefined;
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  minuteSweep.stop();
  await demoIdentityProvider?.close();
  try {
    process.kill(-wrangler.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
  removeDevVars();
  await database.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
wrangler.on('exit', (code) => void stop(code ?? 1));

for (let attempt = 0; ; attempt++) {
  try {
    const response = await fetch(`${base}/health`);
    if (response.status === 200) break;
    if (attempt > 120) throw new Error(`/health answered ${response.status}: ${await response.text()}`);
  } catch (error) {
    if (attempt > 120) {
      console.error('The API did not become healthy:', error);
      await stop(1);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}

minuteSweep.resume();

// The demo unit's own OpenID provider (sign-in: choose a demo officer), registered as Maharashtra's
// through the API, so the station app at /app signs officers in as a unit's real provider would.
// DEMO_IDP_PORT moves it (default: the API's port + 1; any free port if that one is taken).
const demoProviderOptions = {
  redirectUris: [`${base}/app/`, `http://localhost:${apiPort}/app/`],
  signingKey: await demoProviderSigningKey(newSigningKey),
};
try {
  demoIdentityProvider = await startDemoIdentityProvider({ ...demoProviderOptions, port: Number(process.env.DEMO_IDP_PORT ?? apiPort + 1) });
} catch {
  demoIdentityProvider = await startDemoIdentityProvider({ ...demoProviderOptions, port: 0 });
}
try {
  await registerDemoIdentityProvider(base, await mintDevToken({ sub: 'npm-start', roles: ['unit_admin'], unit: 'MH' }, 1), demoIdentityProvider.issuer);
} catch (error) {
  console.error('The demo identity provider could not be registered; the station app cannot sign in:', error);
}

const demo = {
  'Investigating officer, Shivajinagar PS': await mintDevToken({ sub: 'demo-io-shivajinagar', roles: ['investigating_officer'], unit: 'MH', station: 'MH-PUNE-SHIVAJINAGAR' }),
  'District supervisor, Pune City': await mintDevToken({ sub: 'demo-dcp-pune', roles: ['district_supervisor'], unit: 'MH', district: 'MH-PUNE' }),
  'Unit administrator, Maharashtra Cyber': await mintDevToken({ sub: 'demo-admin-mh', roles: ['unit_admin'], unit: 'MH' }),
  'Unit administrator, Karnataka (the other unit)': await mintDevToken({ sub: 'demo-admin-ka', roles: ['unit_admin'], unit: 'KA' }),
  'Platform administrator': await mintDevToken({ sub: 'demo-platform-admin', roles: ['platform_admin'] }),
};

console.log(`
  Sextortion case and SOP API is up (${database.kind === 'embedded' ? `embedded Postgres in ${pgliteDir}` : 'Postgres server'}).

  API        ${base}
  Station    ${base}/app/  (sign in as a demo officer of Maharashtra: ${demoIdentityProvider.issuer})
  Docs       ${base}/docs
  Contract   ${base}/openapi.yaml
  Health     ${base}/health  (scheduler.lastRunAt: the minute sweep, driven every minute)

  Demo bearer tokens (valid 12 hours; more with: npm run token -- --unit MH --station MH-PUNE-KOTHRUD --role duty_officer):
${Object.entries(demo).map(([who, token]) => `\n  ${who}:\n  ${token}`).join('\n')}

  Demo machine clients (fresh secrets each start; exchange at POST /v1/oauth/token):
${demoClients.map((client) => `  ${client.description}:\n    client_id=${client.clientId}  client_secret=${client.clientSecret}`).join('\n')}

  Try:  curl -H "Authorization: Bearer <token>" ${base}/v1/stations
        curl -u ${demoClients[0]!.clientId}:${demoClients[0]!.clientSecret} -d grant_type=client_credentials ${base}/v1/oauth/token
  Stop with Ctrl+C.
`);
