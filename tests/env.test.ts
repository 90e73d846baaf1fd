import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { outboundPolicy, parseConfig } from '../src/env.js';

const problemsWith = (overrides: Record<string, string | undefined>) => {
  const result = parseConfig({ ...env, ...overrides });
  return result.ok ? [] : result.problems;
};

describe('outbound settings', () => {
  it('reads OUTBOUND_ALLOWED_PORTS as a list of ports, none by default', () => {
    expect(outboundPolicy({ ALLOW_LOOPBACK_JWKS: 'false', OUTBOUND_ALLOWED_PORTS: undefined })).toEqual({ allowLoopback: false, allowedPorts: [] });
    expect(outboundPolicy({ ALLOW_LOOPBACK_JWKS: 'true', OUTBOUND_ALLOWED_PORTS: ' 8443, 9443 ' })).toEqual({ allowLoopback: true, allowedPorts: [8443, 9443] });
    expect(problemsWith({ OUTBOUND_ALLOWED_PORTS: '8443,9443' })).toEqual([]);
    expect(problemsWith({ OUTBOUND_ALLOWED_PORTS: '' })).toEqual([]);
  });

  it.each(['http', '8443;9443', '0', '65536', '8443,', '-1', '84.43'])('refuses OUTBOUND_ALLOWED_PORTS=%s', (ports) => {
    expect(problemsWith({ OUTBOUND_ALLOWED_PORTS: ports })).toEqual([expect.stringMatching(/^OUTBOUND_ALLOWED_PORTS: must be comma-separated port numbers/)]);
  });

  it('holds AUTH_JWKS_URL to the outbound URL rules', () => {
    const production = { AUTH_JWKS: undefined, ALLOW_LOOPBACK_JWKS: 'false' };
    expect(problemsWith({ ...production, AUTH_JWKS_URL: 'https://login.example.gov.in/certs' })).toEqual([]);
    expect(problemsWith({ ...production, AUTH_JWKS_URL: 'https://169.254.169.254/keys' })).toEqual([expect.stringMatching(/^AUTH_JWKS_URL: .*link-local/)]);
    expect(problemsWith({ ...production, AUTH_JWKS_URL: 'https://keycloak.internal/certs' })).toEqual([expect.stringMatching(/^AUTH_JWKS_URL: .*\.internal/)]);
    expect(problemsWith({ ...production, AUTH_JWKS_URL: 'http://127.0.0.1:8080/certs' })).toEqual([expect.stringMatching(/^AUTH_JWKS_URL: must be an https URL/)]);
    expect(problemsWith({ ...production, AUTH_JWKS_URL: 'https://login.example.gov.in:8443/certs' })).toEqual([expect.stringMatching(/^AUTH_JWKS_URL: .*port 8443/)]);
    expect(problemsWith({ ...production, AUTH_JWKS_URL: 'https://login.example.gov.in:8443/certs', OUTBOUND_ALLOWED_PORTS: '8443' })).toEqual([]);
    // Development: loopback, as before.
    expect(problemsWith({ AUTH_JWKS: undefined, ALLOW_LOOPBACK_JWKS: 'true', AUTH_JWKS_URL: 'http://127.0.0.1:8080/certs' })).toEqual([]);
  });
});
