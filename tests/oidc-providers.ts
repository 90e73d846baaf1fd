import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration, type JWTStructured } from 'oidc-provider';
import { withoutQuickStartWarnings as quietly } from '../scripts/demo-identity-provider.js';
import { entraTenantId, vendorProviders, type VendorName, type VendorTokens, type VendorUser } from './support/vendor-providers.js';

type Claims = Record<string, unknown>;
type Vendor = (typeof vendorProviders)[VendorName];

/** Who a token is for: a signed-in officer, or the vendor's machine client (client credentials). */
type Holder = { user: VendorUser; accountId: string } | { user?: undefined; accountId?: undefined };

interface Shape {
  /** The vendor's own paths under its issuer, for the endpoints a client meets. */
  routes: Configuration['routes'];
  /** The account id oidc-provider keeps (the ID token's sub). */
  accountIdFor(user: VendorUser): string;
  idTokenClaims(user: VendorUser, accountId: string): Claims;
  accessToken(base: JWTStructured['payload'], holder: Holder): { header?: Record<string, unknown>; payload: Claims };
}

const resource = 'urn:sextortion-sop-api';
/** A resource indicator for another API of the state's, whose tokens name that API's audience. */
const otherResource = (audience: string) => `urn:other-api:${encodeURIComponent(audience)}`;
const audienceOf = (indicator: string, vendor: Vendor) => (indicator.startsWith('urn:other-api:') ? decodeURIComponent(indicator.slice('urn:other-api:'.length)) : vendor.audience);
/** The API's one scope at each provider; each vendor's token names scopes its own way (scope, scp). */
const resourceScope = 'sop.cases';
const nonceOf = () => randomBytes(12).toString('base64url');
/** A claim JSON leaves out: oidc-provider refuses a JWT access token whose aud is empty, Cognito sends none. */
const absentAudience = { toJSON: () => undefined };
const uuidOf = (seed: string) => {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
const present = (claims: Claims) => Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));

/** Keycloak's defaults: every realm role list carries the realm's default roles; aud holds `account` for the account console. */
function keycloakShape(vendor: Vendor & { realm: string }): Shape {
  const defaultRoles = [`default-roles-${vendor.realm}`, 'offline_access', 'uma_authorization'];
  return {
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/certs',
      userinfo: '/protocol/openid-connect/userinfo',
    },
    accountIdFor: (user) => uuidOf(`keycloak:${user.username}`),
    idTokenClaims: (user) => present({ typ: 'ID', azp: vendor.clientId, sid: randomUUID(), acr: '1', email_verified: false, preferred_username: user.username, station: user.station, district: user.district }),
    accessToken: (base, holder) => ({
      header: { typ: 'JWT' },
      payload: present({
        exp: base.exp,
        iat: base.iat,
        auth_time: holder.user ? base.iat : undefined,
        jti: randomUUID(),
        iss: base.iss,
        aud: [base.aud, 'account'],
        sub: holder.accountId ?? uuidOf(`keycloak:service-account-${base.client_id}`),
        typ: 'Bearer',
        azp: base.client_id,
        sid: holder.user ? randomUUID() : undefined,
        acr: '1',
        'allowed-origins': ['http://127.0.0.1'],
        realm_access: { roles: [...defaultRoles, ...(holder.user?.roles ?? serviceRoles.keycloak)] },
        resource_access: { account: { roles: ['manage-account', 'manage-account-links', 'view-profile'] } },
        scope: 'profile email',
        email_verified: false,
        preferred_username: holder.user?.username ?? `service-account-${base.client_id}`,
        client_id: holder.user ? undefined : base.client_id,
        station: holder.user?.station,
        district: holder.user?.district,
      }),
    }),
  };
}

/** Entra ID v2 tokens: app roles in roles, group object ids (GUIDs) in groups, delegated scopes in scp, directory extensions as extn.<name>. */
function entraShape(): Shape {
  const groupIds = ['a1b2c3d4-0000-4000-8000-00000000e001', 'a1b2c3d4-0000-4000-8000-00000000e002'];
  const common = (base: JWTStructured['payload']) => ({ aud: base.aud, iss: base.iss, iat: base.iat, nbf: base.iat, exp: base.exp, aio: nonceOf(), rh: `0.${nonceOf()}.`, tid: entraTenantId, uti: nonceOf(), ver: '2.0' });
  const person = (user: VendorUser) => ({
    name: user.username,
    oid: uuidOf(`entra:${user.username}`),
    preferred_username: `${user.username}@police.example.gov.in`,
    roles: user.roles,
    groups: groupIds,
    sid: uuidOf(`entra-session:${user.username}`),
    'extn.station': user.station,
    'extn.district': user.district,
  });
  return {
    routes: { authorization: '/oauth2/v2.0/authorize', token: '/oauth2/v2.0/token', jwks: '/discovery/v2.0/keys', userinfo: '/oidc/userinfo' },
    accountIdFor: (user) => createHash('sha256').update(`entra-pairwise:${user.username}`).digest('base64url').slice(0, 43),
    idTokenClaims: (user) => present({ ...person(user), aio: nonceOf(), rh: `0.${nonceOf()}.`, tid: entraTenantId, uti: nonceOf(), ver: '2.0' }),
    accessToken: (base, holder) => ({
      header: { typ: 'JWT' },
      payload: holder.user
        ? present({ ...common(base), azp: base.client_id, azpacr: '1', ...person(holder.user), scp: 'access_as_user', sub: holder.accountId })
        : present({ ...common(base), azp: base.client_id, azpacr: '1', idtyp: 'app', oid: uuidOf(`entra-sp:${base.client_id}`), roles: serviceRoles.entra, sub: uuidOf(`entra-sp:${base.client_id}`) }),
    }),
  };
}

/** Cognito user pool access tokens: groups in cognito:groups, token_use, client_id and username, and no aud. */
function cognitoShape(): Shape {
  return {
    routes: { authorization: '/oauth2/authorize', token: '/oauth2/token', jwks: '/.well-known/jwks.json', userinfo: '/oauth2/userInfo' },
    accountIdFor: (user) => uuidOf(`cognito:${user.username}`),
    idTokenClaims: (user) =>
      present({ 'cognito:groups': user.roles, email_verified: true, 'cognito:username': user.username, origin_jti: randomUUID(), event_id: randomUUID(), token_use: 'id', auth_time: Math.floor(Date.now() / 1000), email: `${user.username}@police.example.gov.in` }),
    accessToken: (base, holder) => ({
      header: { typ: undefined },
      payload: present({
        sub: holder.accountId ?? base.client_id,
        'cognito:groups': holder.user?.roles,
        iss: base.iss,
        version: 2,
        client_id: base.client_id,
        origin_jti: holder.user ? randomUUID() : undefined,
        event_id: holder.user ? randomUUID() : undefined,
        token_use: 'access',
        scope: holder.user ? 'openid profile email' : 'sextortion-sop-api/cases.read',
        auth_time: base.iat,
        exp: base.exp,
        iat: base.iat,
        jti: randomUUID(),
        username: holder.user?.username,
        aud: absentAudience,
      }),
    }),
  };
}

/** Okta's default authorization server: ver 1, cid, uid, scp as a list, aud api://default, a groups claim (filter .*) that starts with Everyone. */
function oktaShape(): Shape {
  const uidOf = (user: VendorUser) => `00u${createHash('sha256').update(user.username).digest('hex').slice(0, 17)}`;
  return {
    routes: { authorization: '/v1/authorize', token: '/v1/token', jwks: '/v1/keys', userinfo: '/v1/userinfo' },
    accountIdFor: uidOf,
    idTokenClaims: (user) =>
      present({ name: user.username, ver: 1, amr: ['pwd'], idp: '00o1sopidp0okta697', preferred_username: `${user.username}@police.example.gov.in`, auth_time: Math.floor(Date.now() / 1000), groups: ['Everyone', ...user.roles] }),
    accessToken: (base, holder) => ({
      header: { typ: undefined },
      payload: present({
        ver: 1,
        jti: `AT.${nonceOf()}`,
        iss: base.iss,
        aud: base.aud,
        iat: base.iat,
        exp: base.exp,
        cid: base.client_id,
        uid: holder.accountId,
        scp: holder.user ? ['openid', 'profile'] : ['sop.cases'],
        auth_time: holder.user ? base.iat : undefined,
        sub: holder.user ? `${holder.user.username}@police.example.gov.in` : base.client_id,
        groups: holder.user ? ['Everyone', ...holder.user.roles] : undefined,
        station: holder.user?.station,
        district: holder.user?.district,
      }),
    }),
  };
}

/** The roles each vendor's machine client holds (a Keycloak service account's realm role, an Entra app role assigned to an application). */
const serviceRoles = { keycloak: ['sop-unit-admin'], entra: ['SOP.UnitAdmin'] };

const shapes: Record<VendorName, Shape> = {
  keycloak: keycloakShape(vendorProviders.keycloak),
  'keycloak-fapi': keycloakShape(vendorProviders['keycloak-fapi']),
  entra: entraShape(),
  cognito: cognitoShape(),
  okta: oktaShape(),
};

const sampleUser: VendorUser = { username: 'sample', roles: ['sample'], station: 'S', district: 'D' };

async function signingKey(alg: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`, alg, use: 'sig' };
}

interface RunningVendor {
  name: VendorName;
  issuer: string;
  keys: JWK[];
  secrets: { portal: string; service: string };
  accounts: Map<string, VendorUser>;
  handle: ReturnType<Provider['callback']>;
}

const redirectUri = 'http://127.0.0.1/station-portal/callback';

function providerFor(running: Omit<RunningVendor, 'handle'>): Provider {
  const vendor = vendorProviders[running.name];
  const shape = shapes[running.name];
  const alg = vendor.algorithm;
  const provider = new Provider(running.issuer, {
    clients: [
      {
        client_id: vendor.clientId,
        client_secret: running.secrets.portal,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: alg,
      },
      {
        client_id: vendor.serviceClientId,
        client_secret: running.secrets.service,
        redirect_uris: [],
        grant_types: ['client_credentials'],
        response_types: [],
        id_token_signed_response_alg: alg,
      },
    ],
    jwks: { keys: running.keys },
    enabledJWA: { idTokenSigningAlgValues: [alg] },
    routes: shape.routes,
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: { AccessToken: 3600, ClientCredentials: 600, IdToken: 3600, Interaction: 600, Grant: 600, Session: 600 },
    // The ID token carries the user's claims in the code flow too, as the vendors' do.
    conformIdTokenClaims: false,
    claims: { openid: ['sub', ...Object.keys(shape.idTokenClaims(sampleUser, 'sample'))] },
    findAccount: (_ctx, accountId) => {
      const user = running.accounts.get(accountId);
      return user && { accountId, claims: () => ({ sub: accountId, ...shape.idTokenClaims(user, accountId) }) };
    },
    // First-party station portal: no consent screen, everything it asks for is granted.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope('openid profile email');
      grant.addResourceScope(resource, resourceScope);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => ({ scope: resourceScope, audience: audienceOf(indicator, vendor), accessTokenFormat: 'jwt', jwt: { sign: { alg } } }),
      },
    },
    formats: {
      customizers: {
        jwt: (_ctx, token, jwt) => {
          const accountId = token.kind === 'AccessToken' ? token.accountId : undefined;
          const user = accountId === undefined ? undefined : running.accounts.get(accountId);
          const shaped = shape.accessToken(jwt.payload, user && accountId ? { user, accountId } : {});
          jwt.header = { ...jwt.header, ...shaped.header };
          jwt.payload = shaped.payload as JWTStructured['payload'];
        },
      },
    },
  });
  return provider;
}

function mount(running: Omit<RunningVendor, 'handle'>): RunningVendor {
  return { ...running, handle: quietly(() => providerFor(running)).callback() };
}

/** A browser's cookie jar, enough for one sign-in at one provider. */
export function browser() {
  const jar = new Map<string, string>();
  return async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const split = pair.indexOf('=');
      const [name, value] = [pair.slice(0, split), pair.slice(split + 1)];
      if (value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
}

async function discovery(issuer: string): Promise<Record<string, string>> {
  return (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
}

async function tokenRequest(tokenEndpoint: string, clientId: string, secret: string, form: Record<string, string>): Promise<VendorTokens> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as VendorTokens & { error?: string; error_description?: string };
  if (!response.ok) throw new Error(`token endpoint: ${response.status} ${body.error}: ${body.error_description}`);
  return body;
}

/** Authorization code with PKCE, through devInteractions' sign-in form, as the station portal would drive it. */
async function signIn(running: RunningVendor, user: VendorUser): Promise<VendorTokens> {
  const vendor = vendorProviders[running.name];
  const shape = shapes[running.name];
  const accountId = shape.accountIdFor(user);
  running.accounts.set(accountId, user);
  const metadata = await discovery(running.issuer);
  const verifier = randomBytes(32).toString('base64url');
  const go = browser();
  let url = `${metadata.authorization_endpoint}?${new URLSearchParams({
    client_id: vendor.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: `openid profile email ${resourceScope}`,
    resource,
    state: nonceOf(),
    nonce: nonceOf(),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })}`;
  let response = await go(url);
  for (let step = 0; step < 10; step += 1) {
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location')!, url).href;
      if (location.startsWith(redirectUri)) {
        const returned = new URL(location).searchParams;
        const code = returned.get('code');
        if (!code) throw new Error(`authorization failed: ${returned.get('error')}: ${returned.get('error_description')}`);
        return tokenRequest(metadata.token_endpoint!, vendor.clientId, running.secrets.portal, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
      }
      url = location;
      response = await go(url);
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action || !prompt) throw new Error(`sign-in stopped at ${url}: ${response.status} ${page.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    response = await go(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ prompt, login: accountId, password: 'any' }) });
  }
  throw new Error('sign-in did not finish in 10 steps');
}

async function machineToken(running: RunningVendor, audience?: string): Promise<VendorTokens> {
  const vendor = vendorProviders[running.name];
  const metadata = await discovery(running.issuer);
  const indicator = audience === undefined ? resource : otherResource(audience);
  return tokenRequest(metadata.token_endpoint!, vendor.serviceClientId, running.secrets.service, { grant_type: 'client_credentials', resource: indicator, scope: resourceScope });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function answer(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Runs beside the tests (in Node): one oidc-provider per vendor shape on one loopback port, each
 * at its own issuer path (GET <issuer>/.well-known/openid-configuration). Tokens come from each
 * provider's own endpoints, shaped as the vendor issues them by default. For the tests:
 * POST /admin/<vendor>/sign-in {user} signs a user in (authorization code + PKCE) and returns the
 * tokens; POST /admin/<vendor>/client-credentials returns the vendor's machine client's token;
 * POST /admin/<vendor>/rotate restarts that provider with a new signing key first in its key set
 * (same issuer, same port) and returns its kid.
 */
export async function startOidcProviders(): Promise<{ url: string; close(): Promise<void> }> {
  const running = new Map<VendorName, RunningVendor>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const admin = /^\/admin\/([a-z-]+)\/([a-z-]+)$/.exec(path);
    if (admin && request.method === 'POST') {
      const vendor = running.get(admin[1] as VendorName);
      if (!vendor) return answer(response, 404, { error: `no vendor ${admin[1]}` });
      const act = async () => {
        switch (admin[2]) {
          case 'sign-in':
            return signIn(vendor, ((await readJson(request)) as { user: VendorUser }).user);
          case 'client-credentials':
            return machineToken(vendor, ((await readJson(request)) as { audience?: string }).audience);
          case 'rotate': {
            const key = await signingKey(vendorProviders[vendor.name].algorithm);
            running.set(vendor.name, mount({ ...vendor, keys: [key, ...vendor.keys] }));
            return { kid: key.kid };
          }
          default:
            throw new Error(`no admin action ${admin[2]}`);
        }
      };
      act().then(
        (body) => answer(response, 200, body),
        (error: Error) => answer(response, 500, { error: error.message }),
      );
      return;
    }
    const vendor = [...running.values()].find((candidate) => {
      const mountPath = new URL(candidate.issuer).pathname;
      return path === mountPath || path.startsWith(`${mountPath}/`) || path.startsWith(`${mountPath}?`);
    });
    if (!vendor) return answer(response, 404, { error: 'no provider here' });
    // As a framework mounting the provider under its issuer's path would: oidc-provider reads the mount path from originalUrl.
    (request as IncomingMessage & { originalUrl?: string }).originalUrl = path;
    request.url = path.slice(new URL(vendor.issuer).pathname.length) || '/';
    void vendor.handle(request, response);
  });
  // A loopback address of its own per run, so a run's issuers never repeat an earlier run's still registered in a kept database.
  const host = `127.${1 + randomInt(254)}.${randomInt(256)}.1`;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  for (const name of Object.keys(vendorProviders) as VendorName[]) {
    const vendor = vendorProviders[name];
    running.set(
      name,
      mount({
        name,
        issuer: `${url}${vendor.issuerPath}`,
        keys: [await signingKey(vendor.algorithm)],
        secrets: { portal: randomBytes(24).toString('base64url'), service: randomBytes(24).toString('base64url') },
        accounts: new Map(),
      }),
    );
  }
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
