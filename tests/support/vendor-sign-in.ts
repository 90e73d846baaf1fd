import { env } from 'cloudflare:workers';
import { registerIdentityProviderRoute } from '../../src/routes/identity-providers/register-identity-provider.js';
import { api } from './api.js';
import { parseResponse } from './contract.js';
import { vendorProviders, type VendorName, type VendorTokens, type VendorUser } from './vendor-providers.js';

/** The issuer of one of the vendor-shaped providers tests/oidc-providers.ts runs. */
export function vendorIssuer(vendor: VendorName): string {
  return `${env.TEST_OIDC_PROVIDERS}${vendorProviders[vendor].issuerPath}`;
}

async function admin<T>(vendor: VendorName, action: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${env.TEST_OIDC_PROVIDERS}/admin/${vendor}/${action}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${vendor} ${action}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

/** The user signs in at the vendor's provider (authorization code + PKCE); its token endpoint's answer. */
export function signInAt(vendor: VendorName, user: VendorUser): Promise<VendorTokens> {
  return admin(vendor, 'sign-in', { user });
}

/** The vendor's machine client's token (client credentials), for this API or for another API's audience. */
export function machineTokenAt(vendor: VendorName, audience?: string): Promise<VendorTokens> {
  return admin(vendor, 'client-credentials', audience === undefined ? {} : { audience });
}

/** The vendor's provider restarts with a new signing key first in its key set (same issuer); the new key's kid. */
export async function rotateSigningKey(vendor: VendorName): Promise<string> {
  return (await admin<{ kid: string }>(vendor, 'rotate')).kid;
}

/** A unit administrator registers a provider by its issuer alone, as the README tells a unit to. */
export async function registerProviderByIssuer(unitCode: string, adminToken: string, settings: { issuer: string; audience: string; [setting: string]: unknown }) {
  return parseResponse(registerIdentityProviderRoute, 201, await api(`/v1/units/${unitCode}/identity-providers`, { method: 'POST', token: adminToken, body: settings }));
}
