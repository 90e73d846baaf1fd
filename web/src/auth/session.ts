import type { components } from '@sextortion-sop/client';
import * as oauth from 'oauth4webapi';

/** One way to sign in: a unit's identity provider, as GET /v1/sign-in lists it. */
export type SignInOption = components['schemas']['SignInOption'];

export interface Session {
  accessToken: string;
  expiresAt: number;
  name: string | null;
  unitCode: string;
  issuer: string;
  clientId: string;
  idToken: string | null;
}

const sessionKey = 'sop.session';
const pendingKey = 'sop.pendingSignIn';
/** Where the provider sends the officer back: the app itself. */
export const redirectUri = () => new URL('/app/', location.origin).href;

/** Plain http only to a provider on this machine (development and tests); anything else must be https. */
const loopback = (url: URL) => url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname);
const insecureIfLoopback = (url: URL) => (loopback(url) ? { [oauth.allowInsecureRequests]: true } : {});

async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, { algorithm: 'oidc', ...insecureIfLoopback(url) }));
}

export function currentSession(now = Date.now()): Session | null {
  const stored = sessionStorage.getItem(sessionKey);
  if (!stored) return null;
  const session = JSON.parse(stored) as Session;
  if (session.expiresAt <= now) {
    sessionStorage.removeItem(sessionKey);
    return null;
  }
  return session;
}

/** Fired when the session ends: signed out, or the API no longer accepts the token. */
export const signedOutEvent = 'sop:signed-out';

/** Forgets the token in this tab (the API refused it, or the officer signs out). */
export function endSession(): void {
  sessionStorage.removeItem(sessionKey);
  dispatchEvent(new Event(signedOutEvent));
}

/**
 * Signs out here and at the provider (OpenID Connect RP-initiated logout, where it offers it), so
 * the next officer at a shared station desktop cannot sign in on this one's session.
 */
export async function signOut(): Promise<void> {
  const session = currentSession();
  endSession();
  if (!session?.idToken) return;
  const server = await discover(session.issuer).catch(() => null);
  if (!server?.end_session_endpoint) return;
  const url = new URL(server.end_session_endpoint);
  url.search = new URLSearchParams({ id_token_hint: session.idToken, post_logout_redirect_uri: redirectUri(), client_id: session.clientId }).toString();
  location.assign(url.href);
}

/** Authorization code with PKCE (RFC 7636): the verifier stays in this tab until the provider sends the officer back. */
export async function beginSignIn(option: SignInOption): Promise<void> {
  const server = await discover(option.issuer);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(pendingKey, JSON.stringify({ option, verifier, state, nonce }));
  const url = new URL(server.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: option.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: option.scope,
    state,
    nonce,
    // Whoever sits at the desk signs in: never the previous officer's session at the provider.
    prompt: 'login',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(option.resource ? { resource: option.resource } : {}),
  }).toString();
  location.assign(url.href);
}

/** On the way back from the provider: exchanges the code for tokens and keeps the access token for this tab. */
export async function completeSignIn(): Promise<Session | null> {
  const here = new URL(location.href);
  if (!here.searchParams.has('state')) return null;
  const pending = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  history.replaceState(null, '', `${here.pathname}${here.hash}`);
  if (!pending) throw new Error('this sign-in was not started in this tab: start again');
  const { option, verifier, state, nonce } = JSON.parse(pending) as { option: SignInOption; verifier: string; state: string; nonce: string };
  const server = await discover(option.issuer);
  const client: oauth.Client = { client_id: option.clientId };
  const params = oauth.validateAuthResponse(server, client, here, state);
  const response = await oauth.authorizationCodeGrantRequest(server, client, oauth.None(), params, redirectUri(), verifier, {
    ...insecureIfLoopback(new URL(option.issuer)),
    ...(option.resource ? { additionalParameters: { resource: option.resource } } : {}),
  });
  const result = await oauth.processAuthorizationCodeResponse(server, client, response, { expectedNonce: nonce, requireIdToken: option.scope.split(' ').includes('openid') });
  const claims = oauth.getValidatedIdTokenClaims(result);
  const session: Session = {
    accessToken: result.access_token,
    expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000,
    name: typeof claims?.name === 'string' ? claims.name : null,
    unitCode: option.unitCode,
    issuer: option.issuer,
    clientId: option.clientId,
    idToken: result.id_token ?? null,
  };
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
  return session;
}
