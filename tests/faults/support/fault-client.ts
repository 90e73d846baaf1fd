import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';

/** What a fault test needs to talk to the API as its clients would, and to check the database as its owner. */

const dayMs = 24 * 60 * 60_000;
/** As in the regular suite: the tests' clock, sent with every request (CI may run it ahead). */
export function testNow(): Date {
  return new Date(Date.now() + Number(process.env.TEST_CLOCK_OFFSET_DAYS ?? '0') * dayMs);
}

export const issuer = 'https://idp.faults.invalid/';
export const audience = 'sextortion-sop-api';

export interface Identity {
  /** The bindings the API needs to trust the suite's tokens and sign its own. */
  bindings: Record<string, string>;
  token(claims: Record<string, unknown>): Promise<string>;
}

/** A key pair of the suite's own: the API trusts its public half (AUTH_JWKS). */
export async function faultIdentity(): Promise<Identity> {
  const signing = await generateKeyPair('ES256', { extractable: true });
  const api = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = { ...(await exportJWK(signing.publicKey)), kid: 'faults', alg: 'ES256', use: 'sig' };
  const apiJwk = { ...(await exportJWK(api.privateKey)), kid: 'faults-api', alg: 'ES256' };
  const { privateKey } = signing;
  return {
    bindings: {
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      AUTH_JWKS: JSON.stringify({ keys: [publicJwk] }),
      TOKEN_SIGNING_KEYS: JSON.stringify({ keys: [apiJwk] }),
      CLOCK_OVERRIDE: 'allow',
      // One officer sends hundreds of intakes and their retries: the quotas are not what this suite measures.
      RATE_LIMITS: JSON.stringify({ policies: { faults: { quota: 1_000_000_000, window: 60, binding: 'RATE_LIMIT_FAULTS' } }, client: 'faults', unit: 'faults' }),
    },
    token: (claims) =>
      new SignJWT({ sub: 'faults-officer', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'faults' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
  contentType: string | null;
  elapsedMs: number;
}

/** One request, as a client with its own patience (30 s): a hang shows as status 0. */
export async function call(url: string, path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'X-Clock-Override': testNow().toISOString(), ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const started = performance.now();
  try {
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    return { status: response.status, body, retryAfter: response.headers.get('retry-after'), contentType: response.headers.get('content-type'), elapsedMs: performance.now() - started };
  } catch (error) {
    return { status: 0, body: { error: String(error) }, retryAfter: null, contentType: null, elapsedMs: performance.now() - started };
  }
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function inParallel<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/**
 * What a client is told to do (README, "Failure behaviour"): retry a 503 (or a 409 for a key
 * whose first request still runs) with the same key and body, a bounded number of times.
 * Returns each key's last answer.
 */
export async function retryUntilMade(
  first: Map<string, Answer>,
  send: (key: string) => Promise<Answer>,
  options: { rounds?: number; pauseMs?: number; concurrency?: number } = {},
): Promise<Map<string, Answer>> {
  const answers = new Map(first);
  for (let round = 0; round < (options.rounds ?? 5); round += 1) {
    const open = [...answers].filter(([, answer]) => answer.status === 503 || answer.status === 409).map(([key]) => key);
    if (open.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 1000));
    const again = await inParallel(open, options.concurrency ?? 10, send);
    open.forEach((key, index) => answers.set(key, again[index]!));
  }
  return answers;
}

/** An intake whose narrative names its Idempotency-Key, so the database can be checked key by key. */
export function intake(key: string, at = testNow()) {
  const ago = (minutes: number) => new Date(at.getTime() - minutes * 60_000).toISOString();
  return {
    complainant: { name: 'Sunita Deshmukh', phone: '98123 45610', relationToVictim: 'parent' },
    victim: { name: 'Rohan Deshmukh', age: 17 },
    incident: {
      firstContactAt: ago(960),
      platforms: ['instagram'],
      channels: ['video_call'],
      recordedMaterial: ['video_call_recording'],
      imagesCirculated: false,
      amountDemanded: '25000',
    },
    identifiers: [
      { kind: 'platform_handle', platform: 'instagram', handle: '@Priya.Sharma_22' },
      { kind: 'phone', value: '+91 70000 12345' },
    ],
    payments: [{ amount: '5000', paidAt: ago(920), method: 'upi', reference: '433112345678', payee: { kind: 'upi', value: 'QuickCash@YBL' } }],
    narrative: `fault suite intake ${key}`,
  };
}

export interface FaultTenant {
  unitCode: string;
  stationCode: string;
}

/** A unit of its own with one district and one station, written as the owner (directly, not through the proxy). */
export async function createFaultTenant(ownerUrl: string): Promise<FaultTenant> {
  const unitCode = `F${crypto.randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO units (code, name) VALUES ($1, $2)', [unitCode, `Fault unit ${unitCode}`]);
    await client.query(`INSERT INTO districts (unit_id, code, name, kind) SELECT id, $2, 'District', 'district' FROM units WHERE code = $1`, [unitCode, `${unitCode}-D`]);
    await client.query(`INSERT INTO stations (unit_id, district_id, code, name) SELECT unit_id, id, $2, 'Station' FROM districts WHERE code = $1`, [`${unitCode}-D`, `${unitCode}-D-A`]);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return { unitCode, stationCode: `${unitCode}-D-A` };
}

export interface StoredCase {
  id: string;
  narrative: string;
  identifiers: number;
  payments: number;
  steps: number;
  auditEvents: number;
}

/** Every case of the unit with what hangs off it, read as the owner. */
export async function storedCases(ownerUrl: string, unitCode: string): Promise<StoredCase[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<StoredCase>(
      `select c.id, c.narrative,
              (select count(*)::int from case_identifiers i where i.case_id = c.id) as identifiers,
              (select count(*)::int from case_payments p where p.case_id = c.id) as payments,
              (select count(*)::int from case_steps s where s.case_id = c.id) as steps,
              (select count(*)::int from audit_events a where a.case_id = c.id) as "auditEvents"
         from cases c join units u on u.id = c.unit_id
        where u.code = $1`,
      [unitCode],
    );
    return rows;
  } finally {
    await client.end();
  }
}

/**
 * Terminates the login role's backends every `intervalMs` until stopped, as an administrator
 * (or Neon restarting compute) would. Connects to Postgres directly, never through the proxy.
 */
export function startKillingBackends(ownerUrl: string, loginRole: string, intervalMs = 200) {
  const client = new pg.Client({ connectionString: ownerUrl });
  client.on('error', () => {});
  let stopped = false;
  let rounds = 0;
  let killed = 0;
  const running = (async () => {
    await client.connect();
    // Bounded in time even if nobody stops it.
    const deadline = Date.now() + 5 * 60_000;
    while (!stopped && Date.now() < deadline) {
      const { rows } = await client.query<{ killed: number }>(
        'select count(*) filter (where pg_terminate_backend(pid))::int as killed from pg_stat_activity where usename = $1 and pid <> pg_backend_pid()',
        [loginRole],
      );
      rounds += 1;
      killed += rows[0]?.killed ?? 0;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    await client.end();
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return { rounds, killed };
    },
  };
}
