import { createHash, randomBytes } from 'node:crypto';
import { browser } from '../oidc-providers.js';

export interface SignInOption {
  unitCode: string;
  issuer: string;
  clientId: string;
  scope: string;
  resource: string | null;
}

/**
 * What the station app does, without a browser: authorization code with PKCE at the provider
 * GET /v1/sign-in names, through its "choose a demo officer" page. Returns the officers the page
 * offered and the access token of the one chosen.
 */
export async function signInAsDemoOfficer(option: SignInOption, redirectUri: string, officerId: string): Promise<{ offered: string[]; accessToken: string }> {
  const metadata = (await (await fetch(`${option.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const verifier = randomBytes(32).toString('base64url');
  const go = browser();
  let url = `${metadata.authorization_endpoint}?${new URLSearchParams({
    client_id: option.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: option.scope,
    state: randomBytes(12).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(option.resource ? { resource: option.resource } : {}),
  })}`;
  let offered: string[] = [];
  let response = await go(url);
  for (let step = 0; step < 10; step += 1) {
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location')!, url).href;
      if (location.startsWith(redirectUri)) {
        const code = new URL(location).searchParams.get('code');
        if (!code) throw new Error(`authorization failed: ${location}`);
        const tokens = await fetch(metadata.token_endpoint!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', client_id: option.clientId, code, redirect_uri: redirectUri, code_verifier: verifier, ...(option.resource ? { resource: option.resource } : {}) }),
        });
        const body = (await tokens.json()) as { access_token?: string; error?: string };
        if (!body.access_token) throw new Error(`token endpoint: ${tokens.status} ${body.error}`);
        return { offered, accessToken: body.access_token };
      }
      url = location;
      response = await go(url);
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action) throw new Error(`sign-in stopped at ${url}: ${response.status} ${page.slice(0, 300)}`);
    offered = [...page.matchAll(/name="officer" value="([^"]+)"/g)].map((match) => match[1]!);
    url = new URL(action, url).href;
    response = await go(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ officer: officerId }) });
  }
  throw new Error('sign-in did not finish in 10 steps');
}
