import { afterEach, describe, expect, it } from 'vitest';
import { clientCredentialsToken, createSopClient, TokenRequestError } from '../src/index.js';
import { problem, startStandIn } from './stand-in.js';

let standIn: Awaited<ReturnType<typeof startStandIn>> | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

/** A token endpoint that hands out numbered 15-minute tokens, and a list of stations for any bearer. */
async function tokenStandIn() {
  let issued = 0;
  return startStandIn((request) => {
    if (request.path === '/v1/oauth/token') {
      issued += 1;
      return { status: 200, body: { access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 900, scope: 'cases:read' } };
    }
    return { status: 200, body: { data: [], pagination: { nextCursor: null, hasMore: false } } };
  });
}

describe('client credentials', () => {
  it('fetches a token with HTTP Basic and the form, reuses it, and fetches the next one 60 s before it expires', async () => {
    standIn = await tokenStandIn();
    let now = Date.parse('2026-12-03T08:00:00Z');
    const client = createSopClient({ baseUrl: standIn.url, clientCredentials: { clientId: 'cli_register', clientSecret: 'sec:ret/+', scopes: ['cases:read', 'cases:work'], now: () => now } });
    await client.GET('/v1/stations', {});
    now += 839_000; // 13 min 59 s: still the first token
    await client.GET('/v1/stations', {});
    now += 2_000; // 14 min 1 s: within the last minute, so a new one
    await client.GET('/v1/stations', {});

    const tokenRequests = standIn.received.filter((request) => request.path === '/v1/oauth/token');
    expect(tokenRequests).toHaveLength(2);
    expect(tokenRequests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenRequests[0]!.body))).toEqual({ grant_type: 'client_credentials', scope: 'cases:read cases:work' });
    const basic = atob(tokenRequests[0]!.headers.authorization!.replace(/^Basic /, '')).split(':').map(decodeURIComponent);
    expect(basic).toEqual(['cli_register', 'sec:ret/+']);
    const bearers = standIn.received.filter((request) => request.path === '/v1/stations').map((request) => request.headers.authorization);
    expect(bearers).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('makes one token request for calls that need a token at once', async () => {
    standIn = await tokenStandIn();
    const token = clientCredentialsToken({ baseUrl: standIn.url, clientId: 'cli_register', clientSecret: 'secret' });
    const tokens = await Promise.all([token(), token(), token()]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(standIn.received).toHaveLength(1);
  });

  it('reports refused credentials with the status and the problem document, and tries again on the next call', async () => {
    standIn = await startStandIn(() => ({ status: 401, body: { ...problem(401, 'invalid_client'), error: 'invalid_client' } }));
    const token = clientCredentialsToken({ baseUrl: standIn.url, clientId: 'cli_register', clientSecret: 'wrong' });
    const refused = await Promise.resolve(token()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TokenRequestError);
    expect(refused).toMatchObject({ status: 401, problem: { code: 'invalid_client' } });
    await expect(Promise.resolve(token())).rejects.toBeInstanceOf(TokenRequestError);
    expect(standIn.received).toHaveLength(2);
  });
});
