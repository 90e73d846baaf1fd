import ipaddr from 'ipaddr.js';

/**
 * Outbound requests to URLs that tenants give us (identity providers' key sets, webhook
 * receivers). Two halves: checkOutboundUrl, a pure rule over the URL, and guardedFetch or
 * guardedPost, the only ways such a URL is requested. Nothing here imports a Node module: the
 * Node entry injects a transport that also checks what a host name resolves to
 * (src/net/node-outbound-transport.ts).
 */

export interface OutboundPolicy {
  /** Ports an https URL may name besides 443 (the operator's OUTBOUND_ALLOWED_PORTS). */
  allowedPorts: readonly number[];
  /** Development and tests only: loopback hosts, over http or https, on any port. */
  allowLoopback: boolean;
}

export type OutboundCheck = { ok: true; url: URL } | { ok: false; reason: string };

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Names that never lead to a public host (RFC 6761, RFC 6762, RFC 8375, and the clouds' metadata names). */
const internalSuffixes = ['localhost', 'internal', 'local', 'home.arpa'];

/** IPv6 forms that carry an IPv4 address: judged by that address. `at` is the 16-bit part where it starts. */
const embeddingPrefixes: Array<{ prefix: [Address, number]; at: number }> = [
  { prefix: ipaddr.parseCIDR('::ffff:0:0/96'), at: 6 }, // IPv4-mapped
  { prefix: ipaddr.parseCIDR('::ffff:0:0:0/96'), at: 6 }, // IPv4-translated (RFC 6145)
  { prefix: ipaddr.parseCIDR('64:ff9b::/96'), at: 6 }, // NAT64 well-known prefix (RFC 6052)
  { prefix: ipaddr.parseCIDR('2002::/16'), at: 1 }, // 6to4
  { prefix: ipaddr.parseCIDR('::/96'), at: 6 }, // IPv4-compatible (deprecated)
];

const rangeNames: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
  uniqueLocal: 'a unique-local address (fc00::/7)',
  multicast: 'a multicast address',
  unspecified: 'the unspecified address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
};

function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const entry = embeddingPrefixes.find(({ prefix }) => address.match(prefix));
  if (!entry) return null;
  const high = address.parts[entry.at]!;
  const low = address.parts[entry.at + 1]!;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The address a connection would really reach: the IPv4 inside a transition form, or itself. */
function effectiveAddress(address: Address): Address {
  if (address.kind() === 'ipv6') {
    const ipv6 = address as ipaddr.IPv6;
    const range = ipv6.range();
    if (range !== 'loopback' && range !== 'unspecified') return embeddedIPv4(ipv6) ?? ipv6;
  }
  return address;
}

/** Why a connection to this address is refused, or null. Only globally routable unicast passes. */
function addressProblem(address: Address, policy: OutboundPolicy): string | null {
  const effective = effectiveAddress(address);
  const range = effective.range();
  if (range === 'unicast' || (range === 'loopback' && policy.allowLoopback)) return null;
  const kind = rangeNames[range] ?? `a special-use address (${range})`;
  return effective === address ? `${address.toString()} is ${kind}` : `${address.toString()} embeds ${effective.toString()}, ${kind}`;
}

/** A URL host as WHATWG parsing left it: an IPv6 literal in brackets, a dotted-quad IPv4, or a name. */
function hostAddress(hostname: string): Address | null {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return ipaddr.IPv6.parse(hostname.slice(1, -1));
  // new URL() has already turned 0x7f000001, 127.1, 2130706433 and the like into dotted quads.
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) return ipaddr.IPv4.parse(hostname);
  return null;
}

function nameProblem(hostname: string): string | null {
  const name = hostname.replace(/\.+$/, '');
  const suffix = internalSuffixes.find((internal) => name === internal || name.endsWith(`.${internal}`));
  if (suffix) return `${hostname} is not a public host name${name === suffix ? '' : ` (.${suffix})`}`;
  if (!name.includes('.')) return `${hostname} is not a fully qualified public host name`;
  return null;
}

function isLoopbackHost(hostname: string, address: Address | null): boolean {
  return address ? effectiveAddress(address).range() === 'loopback' : hostname.replace(/\.+$/, '') === 'localhost';
}

/**
 * Whether the API may fetch this URL: https to a public host name or globally routable
 * address, on port 443 or an allowed port, without credentials. The rule is about the URL
 * alone; where the platform can resolve names (Node), the transport checks the addresses too.
 */
export function checkOutboundUrl(input: string | URL, policy: OutboundPolicy): OutboundCheck {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not carry a user name or password' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must be an https URL' };
  let address: Address | null;
  try {
    address = hostAddress(url.hostname);
  } catch {
    return { ok: false, reason: `${url.hostname} is not a usable address` };
  }
  if (policy.allowLoopback && isLoopbackHost(url.hostname, address)) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be an https URL' };
  const hostProblem = address ? addressProblem(address, policy) : nameProblem(url.hostname);
  if (hostProblem) return { ok: false, reason: `must name a public host: ${hostProblem}` };
  if (url.port !== '' && !policy.allowedPorts.includes(Number(url.port))) {
    return { ok: false, reason: `must use port 443 (port ${url.port} is not in OUTBOUND_ALLOWED_PORTS)` };
  }
  return { ok: true, url };
}

/** For a transport that resolves names: why this resolved address must not be connected to, or null. */
export function checkOutboundAddress(address: string, policy: OutboundPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  return addressProblem(ipaddr.parse(address), policy);
}

/** The URL, the host it names, or what it resolves to is refused; or the answer broke a limit. Not worth retrying. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';

  /** answerStatus: set when the host did answer, and the answer (a redirect) is what was refused. */
  constructor(
    message: string,
    readonly answerStatus?: number,
  ) {
    super(message);
  }
}

/** Named like the DOMException that fetch throws on a timeout, which callers such as jose already recognise. */
export class OutboundTimeoutError extends Error {
  override name = 'TimeoutError';
}

export const outboundTimeoutMilliseconds = 3_000;
export const outboundMaxBytes = 64 * 1024;

/** Makes the request once the URL has passed the check; a redirect is answered, never followed. */
export type OutboundTransport = (url: URL, init: RequestInit, policy: OutboundPolicy) => Promise<Response>;

let transport: OutboundTransport = (url, init) => fetch(url, init);

/** The Node entry swaps in a transport that checks resolved addresses (Workers has no DNS API). */
export function useOutboundTransport(replacement: OutboundTransport): void {
  transport = replacement;
}

function whenAborted(signal: AbortSignal): { promise: Promise<never>; release(): void } {
  let release = () => {};
  const promise = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    release = () => signal.removeEventListener('abort', onAbort);
  });
  promise.catch(() => {});
  return { promise, release };
}

class ResponseTooLargeError extends OutboundRefusedError {}

/** The body as bytes, read as a stream and abandoned as soon as it passes the cap or the deadline. */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  const tooLarge = () => new ResponseTooLargeError(`the response is larger than ${maxBytes / 1024} KiB`);
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const aborted = whenAborted(signal);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted.promise]);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    aborted.release();
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const nullBodyStatuses = new Set([101, 204, 205, 304]);

interface GuardedRequest {
  method: 'GET' | 'POST';
  headers?: HeadersInit;
  body?: string;
  signal?: AbortSignal;
  /** 'keep' hands the body back and refuses one past the cap; 'discard' reads up to the cap and drops it. */
  answerBody: 'keep' | 'discard';
}

async function discardCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<void> {
  try {
    await readCapped(response, maxBytes, signal);
  } catch (error) {
    if (!(error instanceof ResponseTooLargeError)) throw error;
  }
}

/** The one path for both methods: the check, the deadline, no redirect, the capped body. */
async function guardedRequest(input: string | URL, policy: OutboundPolicy, request: GuardedRequest): Promise<Response> {
  const checked = checkOutboundUrl(input, policy);
  if (!checked.ok) throw new OutboundRefusedError(`the URL ${checked.reason}`);
  const deadline = AbortSignal.timeout(outboundTimeoutMilliseconds);
  const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
  try {
    const response = await transport(checked.url, { method: request.method, headers: request.headers, body: request.body, redirect: 'manual', signal }, policy);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => {});
      throw new OutboundRefusedError(`the host answered with a redirect (${response.status}), which is not followed`, response.status);
    }
    const headers = new Headers(response.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    const answer = { status: response.status, statusText: response.statusText, headers };
    if (request.answerBody === 'discard') {
      await discardCapped(response, outboundMaxBytes, signal);
      return new Response(null, answer);
    }
    const body = await readCapped(response, outboundMaxBytes, signal);
    return new Response(nullBodyStatuses.has(response.status) ? null : body, answer);
  } catch (error) {
    if (deadline.aborted) throw new OutboundTimeoutError(`no complete answer within ${outboundTimeoutMilliseconds / 1000} s`);
    throw error;
  }
}

/**
 * GET a URL a tenant gave us: checked at every call (a URL stored before a rule changed is
 * still refused), no redirects, 3 s for the whole exchange, at most 64 KiB of body. Throws
 * OutboundRefusedError, OutboundTimeoutError, or the transport's own error for the network.
 */
export function guardedFetch(input: string | URL, policy: OutboundPolicy, init: { headers?: HeadersInit; signal?: AbortSignal } = {}): Promise<Response> {
  return guardedRequest(input, policy, { method: 'GET', headers: init.headers, signal: init.signal, answerBody: 'keep' });
}

/**
 * POST a body to a URL a tenant gave us (a webhook receiver), under the same rules and errors
 * as guardedFetch, except that the answer's body is read up to 64 KiB and dropped: the caller
 * gets the status and headers, and a receiver that answers at length is not an error.
 */
export function guardedPost(input: string | URL, policy: OutboundPolicy, init: { headers?: HeadersInit; body: string; signal?: AbortSignal }): Promise<Response> {
  return guardedRequest(input, policy, { method: 'POST', headers: init.headers, body: init.body, signal: init.signal, answerBody: 'discard' });
}
