import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signDelivery } from '../../src/webhooks/sign-delivery.js';
import { checkSigningSecret, generateSigningSecret, isSigningSecret } from '../../src/webhooks/signing-secret.js';

const sentAt = new Date('2019-03-04T05:06:07Z');
const messageId = 'msg_2019030405060700000000001';
const body = JSON.stringify({ type: 'case.escalated', data: { caseId: '0196a3c2-0000-7000-8000-000000000001' } });

/** The library's verify compares the timestamp with Date.now (5 minutes either way): its clock reads the sending time. */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(sentAt);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('generateSigningSecret', () => {
  it('makes whsec_ secrets of 32 random bytes by default, and of 24 to 64 on request', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(secret.slice('whsec_'.length)).length).toBe(32);
    expect(generateSigningSecret()).not.toBe(secret);
    expect(atob(generateSigningSecret(24).slice(6)).length).toBe(24);
    expect(atob(generateSigningSecret(64).slice(6)).length).toBe(64);
    expect(() => generateSigningSecret(16)).toThrow(RangeError);
    expect(() => generateSigningSecret(65)).toThrow(RangeError);
  });

  it('makes secrets the standardwebhooks library accepts', () => {
    expect(() => new Webhook(generateSigningSecret())).not.toThrow();
  });
});

describe('checkSigningSecret', () => {
  it('accepts whsec_ and standard base64 of 24 to 64 bytes', () => {
    expect(isSigningSecret(`whsec_${btoa('x'.repeat(24))}`)).toBe(true);
    expect(isSigningSecret(`whsec_${btoa('x'.repeat(64))}`)).toBe(true);
    expect(isSigningSecret(generateSigningSecret())).toBe(true);
  });

  it.each([
    [btoa('x'.repeat(32)), 'must start with whsec_'],
    ['whsec_', 'standard base64'],
    ['whsec_not base64!', 'standard base64'],
    [`whsec_${btoa('x'.repeat(32)).replace(/=+$/, '')}`, 'standard base64'],
    [`whsec_${btoa('x'.repeat(32)).replaceAll('+', '-')}_`, 'standard base64'],
    [`whsec_${btoa('x'.repeat(23))}`, 'not 23'],
    [`whsec_${btoa('x'.repeat(65))}`, 'not 65'],
  ])('refuses %s (%s)', (secret, reason) => {
    const check = checkSigningSecret(secret);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toContain(reason);
  });
});

describe('signDelivery', () => {
  const current = generateSigningSecret();
  const previous = generateSigningSecret();

  it('writes the Standard Webhooks headers, the timestamp in whole seconds', () => {
    const headers = signDelivery({ messageId, timestamp: new Date('2019-03-04T05:06:07.890Z'), body, secrets: [current] });
    expect(headers).toEqual({
      'webhook-id': messageId,
      'webhook-timestamp': '1551675967',
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'content-type': 'application/json',
    });
  });

  it('verifies with the library for each secret while a rotation overlaps', () => {
    const headers = signDelivery({ messageId, timestamp: sentAt, body, secrets: [current, previous] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSigningSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('fails verification when the body, the id or the time was changed', () => {
    const headers = signDelivery({ messageId, timestamp: sentAt, body, secrets: [current, previous] });
    const tampered = body.replace('escalated', 'closed');
    for (const secret of [current, previous]) {
      expect(() => new Webhook(secret).verify(tampered, { ...headers })).toThrow(/No matching signature/);
      expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': `${messageId}x` })).toThrow(/No matching signature/);
      expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': '1551675968' })).toThrow(/No matching signature/);
    }
  });

  it('signs with the time it is given, never its own clock', () => {
    const later = new Date(sentAt.getTime() + 60_000);
    const first = signDelivery({ messageId, timestamp: sentAt, body, secrets: [current] });
    vi.setSystemTime(later);
    expect(signDelivery({ messageId, timestamp: sentAt, body, secrets: [current] })).toEqual(first);
    expect(signDelivery({ messageId, timestamp: later, body, secrets: [current] })['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it('refuses no secrets, a malformed secret and an invalid date', () => {
    expect(() => signDelivery({ messageId, timestamp: sentAt, body, secrets: [] })).toThrow(/at least one/);
    expect(() => signDelivery({ messageId, timestamp: sentAt, body, secrets: [current, 'hunter2'] })).toThrow(/whsec_/);
    expect(() => signDelivery({ messageId, timestamp: new Date('not a date'), body, secrets: [current] })).toThrow(RangeError);
  });
});
