import { guardedFetch, type OutboundPolicy } from '../net/outbound-url.js';
import { unreachableReason } from './key-set-check.js';
import { signingAlgorithms, type SigningAlgorithm } from './signing-algorithms.js';

/** What registering by issuer takes from the provider's metadata. */
export interface DiscoveredIssuer {
  jwksUri: string;
  /** The algorithms the provider says it signs with that this API accepts, in its order. */
  algorithms: SigningAlgorithm[];
}

export type DiscoveryOutcome = { ok: true; discovered: DiscoveredIssuer } | { ok: false; detail: string };

/** OpenID Connect Discovery 1.0 §4: the metadata sits under the issuer's own path. */
export function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Reads the issuer's discovery document through the SSRF guard. Its `issuer` must be the
 * registered issuer exactly (§4.3: anything else is an impersonation), and its `jwks_uri` a URL.
 */
export async function discoverIssuer(issuer: string, policy: OutboundPolicy): Promise<DiscoveryOutcome> {
  const url = discoveryUrlOf(issuer);
  let response: Response;
  try {
    response = await guardedFetch(url, policy, { headers: { accept: 'application/json' } });
  } catch (error) {
    return { ok: false, detail: `the discovery document ${url} could not be read: ${unreachableReason(error)}` };
  }
  if (response.status !== 200) return { ok: false, detail: `the discovery document ${url} answered ${response.status}` };
  let metadata: unknown;
  try {
    metadata = await response.json();
  } catch {
    return { ok: false, detail: `the discovery document ${url} is not JSON` };
  }
  if (typeof metadata !== 'object' || metadata === null) return { ok: false, detail: `the discovery document ${url} is not a JSON object` };
  const { issuer: claimedIssuer, jwks_uri: jwksUri, id_token_signing_alg_values_supported: advertised } = metadata as Record<string, unknown>;
  if (claimedIssuer !== issuer) {
    return { ok: false, detail: `the discovery document names the issuer ${JSON.stringify(claimedIssuer)}, not ${JSON.stringify(issuer)}: the two must match exactly` };
  }
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) return { ok: false, detail: 'the discovery document has no jwks_uri URL' };
  const algorithms = Array.isArray(advertised) ? signingAlgorithms.filter((algorithm) => advertised.includes(algorithm)) : [];
  return { ok: true, discovered: { jwksUri, algorithms } };
}
