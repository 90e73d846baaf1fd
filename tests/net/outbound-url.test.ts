import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  checkOutboundAddress,
  checkOutboundUrl,
  guardedFetch,
  guardedPost,
  OutboundRefusedError,
  OutboundTimeoutError,
  type OutboundPolicy,
} from '../../src/net/outbound-url.js';
import { signDelivery } from '../../src/webhooks/sign-delivery.js';
import { generateSigningSecret } from '../../src/webhooks/signing-secret.js';
import { newProviderIdentity, newProviderKey, publishKeys } from '../support/identity.js';
import { newReceiver, type ReceiverBehaviour } from '../webhooks/receivers.js';

const production: OutboundPolicy = { allowedPorts: [], allowLoopback: false };
const development: OutboundPolicy = { allowedPorts: [], allowLoopback: true };

const refusedEverywhere = [
  // Private, link-local, CGNAT, multicast, unspecified, reserved and broadcast IPv4.
  ['https://10.0.0.1/jwks', 'private'],
  ['https://172.16.5.4/jwks', 'private'],
  ['https://192.168.1.1/jwks', 'private'],
  ['https://169.254.169.254/latest/meta-data/', 'link-local'],
  ['https://100.64.0.1/jwks', 'carrier-grade NAT'],
  ['https://224.0.0.1/jwks', 'multicast'],
  ['https://0.0.0.0/jwks', 'unspecified'],
  ['https://0.1.2.3/jwks', 'unspecified'],
  ['https://0/jwks', '0.0.0.0 is the unspecified'],
  ['https://240.0.0.1/jwks', 'reserved'],
  ['https://255.255.255.255/jwks', 'broadcast'],
  ['https://192.0.2.10/jwks', 'reserved'],
  // Other notations of private IPv4, which WHATWG parsing turns into dotted quads.
  ['https://0x0a000001/jwks', '10.0.0.1 is a private'],
  ['https://10.1/jwks', '10.0.0.1 is a private'],
  ['https://167772161/jwks', '10.0.0.1 is a private'],
  ['https://012.0.0.1/jwks', '10.0.0.1 is a private'],
  ['https://0xa9.0xfe.0xa9.0xfe/', 'link-local'],
  // IPv6: link-local, unique-local, multicast, unspecified, site-local, and IPv4 embedded in IPv6.
  ['https://[fe80::1]/jwks', 'link-local'],
  ['https://[fc00::1]/jwks', 'unique-local'],
  ['https://[fd12:3456::1]/jwks', 'unique-local'],
  ['https://[ff02::1]/jwks', 'multicast'],
  ['https://[::]/jwks', 'unspecified'],
  ['https://[fec0::1]/jwks', 'deprecatedSiteLocal'],
  ['https://[::ffff:10.0.0.1]/jwks', 'embeds 10.0.0.1'],
  ['https://[::ffff:a9fe:a9fe]/', 'embeds 169.254.169.254'],
  ['https://[::10.0.0.1]/jwks', 'embeds 10.0.0.1'],
  ['https://[2002:a00:1::]/jwks', 'embeds 10.0.0.1'],
  ['https://[64:ff9b::a00:1]/jwks', 'embeds 10.0.0.1'],
  ['https://[64:ff9b:1::a00:1]/jwks', 'rfc6052'],
  ['https://[2001:0::a00:1]/jwks', 'teredo'],
  ['https://[2001:db8::1]/jwks', 'reserved'],
  // Names that never lead to a public host.
  ['https://metadata.google.internal/', '.internal'],
  ['https://printer.local/jwks', '.local'],
  ['https://router.home.arpa/jwks', '.home.arpa'],
  ['https://keycloak/jwks', 'fully qualified'],
  ['https://keycloak./jwks', 'fully qualified'],
  // Credentials in the URL, other schemes, plain http.
  ['https://user:pass@login.example.gov.in/jwks', 'user name or password'],
  ['https://user@login.example.gov.in/jwks', 'user name or password'],
  ['https://user:pass@127.0.0.1:5432/', 'user name or password'],
  ['http://login.example.gov.in/jwks', 'https'],
  ['http://10.0.0.1/jwks', 'https'],
  ['ftp://login.example.gov.in/jwks', 'https'],
  ['file:///etc/passwd', 'https'],
  ['not a url', 'not a URL'],
  // A port the operator did not allow.
  ['https://login.example.gov.in:8443/jwks', 'port 8443'],
  ['https://login.example.gov.in:5432/jwks', 'port 5432'],
] as const;

/** Loopback in every notation: refused in production, allowed where ALLOW_LOOPBACK_JWKS is set. */
const loopback = [
  ['https://127.0.0.1:5432/', '127.0.0.1 is a loopback'],
  ['https://[::1]:5432/', '::1 is a loopback'],
  ['https://localhost:5432/jwks', 'localhost'],
  ['https://LOCALHOST./jwks', 'localhost'],
  ['https://0x7f000001:5432/', '127.0.0.1 is a loopback'],
  ['https://127.1:5432/', '127.0.0.1 is a loopback'],
  ['https://2130706433:5432/', '127.0.0.1 is a loopback'],
  ['https://0177.0.0.1/', '127.0.0.1 is a loopback'],
  ['https://127.0.0.1./', '127.0.0.1 is a loopback'],
  ['https://%31%32%37.0.0.1/', '127.0.0.1 is a loopback'],
  ['https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/', '127.0.0.1 is a loopback'],
  ['https://127.255.255.254/', 'loopback'],
  ['https://[::ffff:127.0.0.1]:5432/', 'embeds 127.0.0.1'],
  ['https://[::ffff:7f00:1]/', 'embeds 127.0.0.1'],
  ['https://[0:0:0:0:0:ffff:127.0.0.1]/', 'embeds 127.0.0.1'],
  ['https://[::127.0.0.1]/', 'embeds 127.0.0.1'],
  ['https://[2002:7f00:1::]/', 'embeds 127.0.0.1'],
  ['https://[64:ff9b::127.0.0.1]/', 'embeds 127.0.0.1'],
  ['http://127.0.0.1:8787/jwks', 'https'],
  ['http://localhost:8787/jwks', 'https'],
] as const;

const publicUrls = [
  'https://login.example.gov.in/realms/officers/protocol/openid-connect/certs',
  'https://login.example.gov.in:443/certs',
  'https://www.googleapis.com/oauth2/v3/certs',
  'https://sso.goapolice.example/realms/officers/certs?format=jwks#keys',
  'https://8.8.8.8/jwks',
  'https://[2606:4700:4700::1111]/jwks',
  'https://[::ffff:8.8.8.8]/jwks',
  'https://login.example.gov.in./certs',
  'https://xn--80ak6aa92e.xn--p1ai/jwks',
  'https://localhost.example.com/jwks',
  'https://internal.example.com/jwks',
];

describe('checkOutboundUrl', () => {
  it.each(refusedEverywhere)('refuses %s (%s), with or without loopback allowed', (url, reason) => {
    for (const policy of [production, development]) {
      const checked = checkOutboundUrl(url, policy);
      expect(checked.ok, url).toBe(false);
      expect(checked.ok ? '' : checked.reason).toContain(reason);
    }
  });

  it.each(loopback)('refuses %s (%s) unless loopback is allowed', (url, reason) => {
    const checked = checkOutboundUrl(url, production);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.reason).toContain(reason);
    expect(checkOutboundUrl(url, development)).toMatchObject({ ok: true });
  });

  it.each(publicUrls)('accepts %s', (url) => {
    const checked = checkOutboundUrl(url, production);
    expect(checked.ok ? checked.url.href : checked.reason).toBe(new URL(url).href);
  });

  it('accepts a port the operator allowed, and only that one', () => {
    const policy: OutboundPolicy = { allowedPorts: [8443, 9443], allowLoopback: false };
    expect(checkOutboundUrl('https://login.example.gov.in:8443/certs', policy)).toMatchObject({ ok: true });
    expect(checkOutboundUrl('https://login.example.gov.in:9443/certs', policy)).toMatchObject({ ok: true });
    expect(checkOutboundUrl('https://login.example.gov.in:8444/certs', policy)).toMatchObject({ ok: false });
    // An allowed port does not make a private host public.
    expect(checkOutboundUrl('https://10.0.0.1:8443/certs', policy)).toMatchObject({ ok: false });
  });
});

describe('checkOutboundAddress (what a resolved name points at)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['fd00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['::ffff:192.168.0.1', 'embeds 192.168.0.1'],
    ['0.0.0.0', 'unspecified'],
    ['not-an-address', 'not an IP address'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(checkOutboundAddress(address, production)).toContain(reason);
  });

  it('accepts public addresses, and loopback only where it is allowed', () => {
    expect(checkOutboundAddress('93.184.215.14', production)).toBeNull();
    expect(checkOutboundAddress('2606:2800:21f:cb07:6820:80da:af6b:8b2c', production)).toBeNull();
    expect(checkOutboundAddress('127.0.0.1', development)).toBeNull();
    expect(checkOutboundAddress('::1', development)).toBeNull();
    expect(checkOutboundAddress('10.0.0.1', development)).toContain('private');
  });
});

describe('guardedFetch', () => {
  async function publishedKeySet() {
    const identity = newProviderIdentity();
    await publishKeys(identity.name, [await newProviderKey('ES256')]);
    return identity.name;
  }

  it('fetches an allowed URL and hands back the whole body', async () => {
    const name = await publishedKeySet();
    const response = await guardedFetch(`${env.TEST_JWKS_HOST}/padded/${name}?bytes=60000`, development);
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBe(60_000);
  });

  it('refuses a URL that fails the check without sending anything', async () => {
    const name = await publishedKeySet();
    const loopbackUrl = `${env.TEST_JWKS_HOST}/jwks/${name}`;
    await expect(guardedFetch(loopbackUrl, production)).rejects.toThrow(OutboundRefusedError);
    await expect(guardedFetch(loopbackUrl.replace('http://', 'http://user:pass@'), development)).rejects.toThrow(/user name or password/);
    const fetches = await fetch(`${env.TEST_JWKS_HOST}/jwks/${name}/fetches`);
    expect(await fetches.json()).toEqual({ fetches: 0 });
  });

  it('does not follow a redirect', async () => {
    const name = await publishedKeySet();
    await expect(guardedFetch(`${env.TEST_JWKS_HOST}/redirect/${name}`, development)).rejects.toThrow(/redirect \(302\)/);
    const fetches = await fetch(`${env.TEST_JWKS_HOST}/jwks/${name}/fetches`);
    expect(await fetches.json()).toEqual({ fetches: 0 });
  });

  it('gives up on a body past 64 KiB, even without a Content-Length', async () => {
    const name = await publishedKeySet();
    await expect(guardedFetch(`${env.TEST_JWKS_HOST}/padded/${name}?bytes=70000`, development)).rejects.toThrow(/larger than 64 KiB/);
  });

  it('gives up on an answer that is slower than 3 s, in its headers or its body', async () => {
    const name = await publishedKeySet();
    await expect(guardedFetch(`${env.TEST_JWKS_HOST}/slow/${name}`, development)).rejects.toThrow(OutboundTimeoutError);
    await expect(guardedFetch(`${env.TEST_JWKS_HOST}/slow-body/${name}`, development)).rejects.toThrow(OutboundTimeoutError);
  });
});

describe('guardedPost', () => {
  const sentAt = new Date('2019-03-04T05:06:07Z');
  const body = '{"type":"ping"}';

  async function signedPost(behaviour: ReceiverBehaviour, policy: OutboundPolicy = development) {
    const secret = generateSigningSecret();
    const receiver = await newReceiver(secret, sentAt);
    const headers = { ...signDelivery({ messageId: 'msg_1', timestamp: sentAt, body, secrets: [secret] }) };
    return { receiver, posting: guardedPost(receiver.url(behaviour), policy, { headers, body }) };
  }

  it('sends the body and headers with POST, and hands back the status without the body', async () => {
    const { receiver, posting } = await signedPost('ok');
    const response = await posting;
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(await receiver.deliveries()).toEqual([expect.objectContaining({ contentType: 'application/json', body, verificationError: null })]);
  });

  it('refuses a URL that fails the check without sending anything', async () => {
    const { receiver, posting } = await signedPost('ok', production);
    await expect(posting).rejects.toThrow(/must be an https URL/);
    await expect(guardedPost('https://10.0.0.1/hooks', development, { body })).rejects.toThrow(OutboundRefusedError);
    expect(await receiver.deliveries()).toEqual([]);
  });

  it('does not follow a redirect', async () => {
    const { receiver, posting } = await signedPost('redirect');
    await expect(posting).rejects.toThrow(/redirect \(302\)/);
    expect((await receiver.deliveries()).map((delivery) => delivery.path)).toEqual([expect.stringMatching(/\/redirect$/)]);
  });

  it('reads at most 64 KiB of a long answer and drops it', async () => {
    const response = await (await signedPost('large')).posting;
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
  });

  it('gives up on an answer slower than 3 s', async () => {
    await expect((await signedPost('slow')).posting).rejects.toThrow(OutboundTimeoutError);
  });

  it('names the status of a redirect it refused, and none for a URL it never sent to', async () => {
    await expect((await signedPost('redirect')).posting).rejects.toMatchObject({ answerStatus: 302 });
    await expect(guardedPost('https://10.0.0.1/hooks', development, { body })).rejects.toMatchObject({ answerStatus: undefined });
  });
});
