import { discoverIssuer } from '../../auth/issuer-discovery.js';
import { checkKeySet, type KeyCheck } from '../../auth/key-set-check.js';
import { outboundPolicy, type AppConfig } from '../../env.js';
import { invalidField, ProblemError } from '../../http/problem.js';
import { checkOutboundUrl } from '../../net/outbound-url.js';
import { assertFetchableKeys, assertUsableKeys } from './identity-provider-schema.js';

/** Where the keys of a registration come from: the issuer's discovery document, or given. */
export type KeySource =
  | { discover: true; issuer: string; algorithms: string[] | undefined }
  | {
      discover: false;
      jwksUri: string | null;
      jwks: { keys: unknown[] } | null;
      algorithms: string[];
      /** Only the algorithms change: the stored keys are looked at again, and any fault is the algorithms'. */
      algorithmsOnly?: true;
    };

export interface ProviderKeys {
  jwksUri: string | null;
  jwks: unknown;
  algorithms: string[];
  issuerDiscovery: boolean;
  keyCheck: KeyCheck;
}

function keySetUnusable(pointer: string, detail: string): ProblemError {
  return new ProblemError('key_set_unusable', detail, { errors: [{ pointer, detail }] });
}

/**
 * The keys a registration will verify tokens with, looked at before anything is saved: the
 * discovery document read (when registering by issuer), the key set fetched and at least one key
 * usable under the pinned algorithms. `at` is where the body sits (`/body` or a nested object).
 */
export async function resolveProviderKeys(source: KeySource, config: AppConfig, now: Date, at: string): Promise<ProviderKeys> {
  const policy = outboundPolicy(config);
  if (source.discover) {
    const checked = checkOutboundUrl(source.issuer, policy);
    if (!checked.ok) throw invalidField(`${at}/issuer`, `to discover its keys, the issuer must be a URL that can be fetched: it ${checked.reason}`);
    const discovery = await discoverIssuer(source.issuer, policy);
    if (!discovery.ok) throw keySetUnusable(`${at}/issuer`, discovery.detail);
    const jwksUriCheck = checkOutboundUrl(discovery.discovered.jwksUri, policy);
    if (!jwksUriCheck.ok) throw keySetUnusable(`${at}/issuer`, `the discovery document's jwks_uri ${jwksUriCheck.reason}`);
    const algorithms = source.algorithms ?? discovery.discovered.algorithms;
    if (algorithms.length === 0) {
      throw keySetUnusable(`${at}/algorithms`, 'the discovery document names no signing algorithm this API accepts: give algorithms');
    }
    const keyCheck = await checkKeySet({ jwksUri: discovery.discovered.jwksUri, jwks: null }, algorithms, policy, now);
    if (keyCheck.outcome !== 'usable') throw keySetUnusable(`${at}/${source.algorithms ? 'algorithms' : 'issuer'}`, keyCheck.detail!);
    return { jwksUri: discovery.discovered.jwksUri, jwks: null, algorithms, issuerDiscovery: true, keyCheck };
  }
  if (!source.algorithmsOnly) {
    assertFetchableKeys(source.jwksUri, config, `${at}/jwksUri`);
    await assertUsableKeys(source.jwks as Parameters<typeof assertUsableKeys>[0], source.algorithms, `${at}/jwks`);
  }
  const keyCheck = await checkKeySet(source, source.algorithms, policy, now);
  const field = source.algorithmsOnly ? 'algorithms' : source.jwksUri ? 'jwksUri' : 'jwks';
  if (keyCheck.outcome !== 'usable') throw keySetUnusable(`${at}/${field}`, keyCheck.detail!);
  return { jwksUri: source.jwksUri, jwks: source.jwks, algorithms: source.algorithms, issuerDiscovery: false, keyCheck };
}
