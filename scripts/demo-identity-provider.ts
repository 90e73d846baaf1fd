import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type JWTStructured } from 'oidc-provider';

/**
 * The demo unit's own OpenID Connect provider, on loopback: a real oidc-provider whose sign-in
 * page is "choose a demo officer" instead of a password. `npm start` runs it and registers it as
 * Maharashtra's identity provider, and the station app's browser tests sign in through it, so
 * development and tests take the same authorization code + PKCE path as a unit's real provider.
 */
export interface DemoOfficer {
  id: string;
  name: string;
  roles: string[];
  station?: string;
  district?: string;
}

export const demoOfficers: DemoOfficer[] = [
  { id: 'demo-duty-officer-shivajinagar', name: 'ASI Kavita Jadhav, duty officer, Shivajinagar PS', roles: ['duty_officer'], station: 'MH-PUNE-SHIVAJINAGAR' },
  { id: 'demo-sho-shivajinagar', name: 'PI Anil Pawar, station house officer, Shivajinagar PS', roles: ['station_house_officer'], station: 'MH-PUNE-SHIVAJINAGAR' },
  { id: 'demo-io-shivajinagar', name: 'PSI Meera Kulkarni, investigating officer, Shivajinagar PS', roles: ['investigating_officer'], station: 'MH-PUNE-SHIVAJINAGAR' },
  { id: 'demo-sho-cyber-pune', name: 'PI Sameer Shaikh, station house officer, Cyber PS Pune City', roles: ['station_house_officer'], station: 'MH-PUNE-CYBER' },
  { id: 'demo-dcp-pune', name: 'DCP Rashmi Deshpande, district supervisor, Pune City', roles: ['district_supervisor'], district: 'MH-PUNE' },
  { id: 'demo-unit-supervisor-mh', name: 'SP Vikram Rao, unit supervisor, Maharashtra Cyber', roles: ['unit_supervisor'] },
];

/** The station app's client at this provider: public (no secret), PKCE required. */
export const stationAppClientId = 'station-app';
/** The API, as a resource indicator (RFC 8707); its tokens name the API's audience. */
export const apiResource = 'urn:sextortion-sop-api';
export const apiAudience = 'sextortion-sop-api';

/** What the unit registers for this provider (POST /v1/units/MH/identity-providers) besides its issuer. */
export const demoRegistration = {
  audience: apiAudience,
  rolesClaim: 'roles',
  stationClaim: 'station',
  districtClaim: 'district',
  stationSignIn: { clientId: stationAppClientId, scope: 'openid profile', resource: apiResource },
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page of the demo provider's own: no script, no outside resource. */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}ul{list-style:none;padding:0}li{margin:.5rem 0}
button{width:100%;text-align:left;padding:.75rem;font:inherit;border:1px solid #555;border-radius:.4rem;background:#fff;cursor:pointer}button:hover,button:focus{background:#e8f0fe}</style>
</head><body><main>${body}</main></body></html>`;
}

function officerPage(uid: string, officers: DemoOfficer[]): string {
  const buttons = officers
    .map((officer) => `<li><button type="submit" name="officer" value="${escapeHtml(officer.id)}">${escapeHtml(officer.name)}</button></li>`)
    .join('');
  return page(
    'Demo sign-in: choose a demo officer',
    `<h1>Choose a demo officer</h1>
<p>This is the development identity provider of the demo unit (Maharashtra Cyber). A real unit signs its officers in with its own provider.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login"><ul>${buttons}</ul></form>`,
  );
}

async function formField(request: IncomingMessage, name: string): Promise<string | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get(name);
}

/** An ES256 private key for the provider's tokens (npm start keeps one in .data/, so a restart does not change the key the API has cached). */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `demo-${randomBytes(6).toString('hex')}`, alg: 'ES256', use: 'sig' };
}

/**
 * Registers the provider as the unit's, through the API as the unit's administrator (validated
 * and audited as any registration), once per issuer; a registration of the station app's client
 * at another loopback issuer (an earlier start on another port) is removed.
 */
export async function registerDemoIdentityProvider(apiBase: string, adminToken: string, issuer: string, unitCode = 'MH'): Promise<void> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const listed = await fetch(`${apiBase}/v1/units/${unitCode}/identity-providers`, { headers });
  if (!listed.ok) throw new Error(`listing ${unitCode}'s identity providers: ${listed.status} ${await listed.text()}`);
  const providers = ((await listed.json()) as { data: { id: string; issuer: string; version: number; stationSignIn: { clientId: string } | null }[] }).data;
  for (const stale of providers.filter((provider) => provider.issuer !== issuer && provider.stationSignIn?.clientId === stationAppClientId && /^http:\/\/127\./.test(provider.issuer))) {
    const removed = await fetch(`${apiBase}/v1/units/${unitCode}/identity-providers/${stale.id}`, { method: 'DELETE', headers: { ...headers, 'if-match': `"v${stale.version}"` } });
    if (!removed.ok) throw new Error(`removing the earlier demo provider ${stale.issuer}: ${removed.status} ${await removed.text()}`);
  }
  if (providers.some((provider) => provider.issuer === issuer)) return;
  const registered = await fetch(`${apiBase}/v1/units/${unitCode}/identity-providers`, { method: 'POST', headers, body: JSON.stringify({ issuer, ...demoRegistration }) });
  if (!registered.ok) throw new Error(`registering the demo identity provider: ${registered.status} ${await registered.text()}`);
}

/** oidc-provider's quick-start warnings (the in-memory adapter, devInteractions) name what a local or test provider wants: kept out of the output. */
export function withoutQuickStartWarnings<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('quick start development-only')) warn(...args);
  };
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}

export interface DemoIdentityProvider {
  issuer: string;
  close(): Promise<void>;
}

/**
 * Starts the provider at http://<host>:<port> (port 0: any free one). `redirectUris` are where
 * the station app may be: `<API origin>/app/`.
 */
export async function startDemoIdentityProvider(options: { host?: string; port?: number; redirectUris: string[]; officers?: DemoOfficer[]; signingKey?: JWK }): Promise<DemoIdentityProvider> {
  const officers = options.officers ?? demoOfficers;
  const byId = new Map(officers.map((officer) => [officer.id, officer]));
  const signingKey = options.signingKey ?? (await newSigningKey());
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const issuer = `http://${address}:${port}`;

  const provider = withoutQuickStartWarnings(() => new Provider(issuer, {
    clients: [
      {
        client_id: stationAppClientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: { AccessToken: 8 * 3600, IdToken: 3600, Interaction: 600, Grant: 8 * 3600, Session: 8 * 3600 },
    claims: { openid: ['sub'], profile: ['name'] },
    findAccount: (_ctx, accountId) => {
      const officer = byId.get(accountId);
      return officer && { accountId, claims: () => ({ sub: accountId, name: officer.name }) };
    },
    // The station app is the unit's own: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(apiResource, '');
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = page('Sign out of the demo provider', `<h1>Sign out of the demo provider?</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>`);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: '', audience: apiAudience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
      },
    },
    formats: {
      customizers: {
        jwt: (_ctx, token, jwt) => {
          const officer = token.kind === 'AccessToken' && token.accountId ? byId.get(token.accountId) : undefined;
          if (!officer) return;
          const claims: Record<string, unknown> = { roles: officer.roles, name: officer.name, station: officer.station, district: officer.district };
          jwt.payload = { ...jwt.payload, ...Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)) } as JWTStructured['payload'];
        },
      },
    },
  }));
  const handle = provider.callback();

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(request.url ?? '');
    if (!interaction) return void handle(request, response);
    const answer = async () => {
      const details = await provider.interactionDetails(request, response);
      if (interaction[2] !== '/login') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(officerPage(details.uid, officers));
        return;
      }
      const chosen = await formField(request, 'officer');
      if (!chosen || !byId.has(chosen)) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('choose one of the demo officers');
        return;
      }
      await provider.interactionFinished(request, response, { login: { accountId: chosen } }, { mergeWithLastSubmission: false });
    };
    answer().catch((error: Error) => {
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain' }).end(`sign-in failed: ${error.message}`);
    });
  });

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
