import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeErrors, requestBodySchema } from './contract-validator.js';
import { documentedRegistrations, vendorProviders, type VendorName } from '../support/vendor-providers.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The JSON bodies of the README's "Onboarding your identity provider", by the vendor their issuer names. */
function readmeRegistrations(): Map<VendorName, Record<string, unknown>> {
  const section = readme.split('\n## Onboarding your identity provider\n')[1]?.split('\n## ')[0];
  if (!section) throw new Error('the README has no "Onboarding your identity provider" section');
  const vendorOf = (issuer: string): VendorName => {
    if (issuer.includes('/realms/')) return 'keycloak';
    if (issuer.startsWith('https://login.microsoftonline.com/')) return 'entra';
    if (issuer.startsWith('https://cognito-idp.')) return 'cognito';
    if (issuer.includes('.okta.com/')) return 'okta';
    throw new Error(`no vendor for ${issuer}`);
  };
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]!) as Record<string, unknown>);
  return new Map(blocks.map((block) => [vendorOf(String(block.issuer)), block]));
}

/** The README's placeholders stand for the ids the test providers use. */
const placeholders: Record<string, string> = { '<application-id>': vendorProviders.entra.audience, '<app-client-id>': vendorProviders.cognito.clientId };

describe("the README's identity provider settings", () => {
  it.each(['keycloak', 'entra', 'cognito', 'okta'] as const)('for %s are the ones the vendor tests register', (vendor) => {
    const { issuer, audience, ...settings } = readmeRegistrations().get(vendor) ?? {};
    expect(issuer, 'an issuer alone, as registration by issuer takes it').toEqual(expect.any(String));
    expect({ audience: placeholders[String(audience)] ?? audience, ...settings }).toEqual(documentedRegistrations[vendor]);
  });

  it.each(['keycloak', 'entra', 'cognito', 'okta'] as const)('for %s pass the request schema of POST …/identity-providers', (vendor) => {
    const validate = requestBodySchema('/v1/units/{unitCode}/identity-providers', 'post');
    expect(validate(readmeRegistrations().get(vendor)), describeErrors(validate)).toBe(true);
  });
});
