import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { checkOutboundAddress, OutboundRefusedError, type OutboundPolicy, type OutboundTransport } from './outbound-url.js';

/** Every address a host name resolves to (node:dns lookup, as the operating system resolves it). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: ResolveAll = (hostname) => lookup(hostname, { all: true, order: 'verbatim' });

/**
 * The resolution and the check happen inside the connection's own lookup, so the socket goes
 * to an address that was just checked: a name that answers a public address to a first
 * query and a private one to the next (DNS rebinding) gains nothing.
 */
function checkedLookup(resolveAll: ResolveAll, policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        for (const { address } of addresses) {
          const problem = checkOutboundAddress(address, policy);
          if (problem) throw new OutboundRefusedError(`${hostname} resolves to a refused address: ${problem}`);
        }
        const usable = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
        if (usable.length === 0) throw Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' });
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}

/** For src/node.ts: requests through undici, connecting only to resolved addresses the policy allows. */
export function nodeOutboundTransport(resolveAll: ResolveAll = systemResolver): OutboundTransport {
  const agents = new Map<string, Agent>();
  const agentFor = (policy: OutboundPolicy) => {
    const key = `${policy.allowLoopback} ${policy.allowedPorts.join(',')}`;
    let agent = agents.get(key);
    if (!agent) {
      agent = new Agent({ connect: { lookup: checkedLookup(resolveAll, policy) } });
      agents.set(key, agent);
    }
    return agent;
  };
  return async (url, init, policy) => {
    try {
      const response = await undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher: agentFor(policy) });
      return response as unknown as Response;
    } catch (error) {
      // undici reports a failed connection as TypeError('fetch failed') with the lookup's error as its cause.
      if (error instanceof TypeError && error.cause instanceof OutboundRefusedError) throw error.cause;
      throw error;
    }
  };
}
