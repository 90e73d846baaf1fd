import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import wranglerToml from '../../wrangler.toml?raw';
import { parseConfig } from '../../src/env.js';
import { rateLimitHeader, rateLimitPolicyHeader } from '../../src/http/quotas.js';
import { addressPartition } from '../../src/rate-limits/address.js';
import { bindingRateLimiter, memoryRateLimiter, MissingRateLimitBinding } from '../../src/rate-limits/limiter.js';
import { defaultRateLimits, quotasFor, rateLimitSettingsJson, type AppliedQuota } from '../../src/rate-limits/settings.js';

const parse = (settings: unknown) => rateLimitSettingsJson.safeParse(JSON.stringify(settings));

describe('RATE_LIMITS', () => {
  it('defaults to the policies wrangler.toml binds, with the same limits and periods', () => {
    const result = parseConfig({ ...env, RATE_LIMITS: undefined });
    expect(result.ok && result.config.RATE_LIMITS).toEqual(defaultRateLimits);
    const declared = [...wranglerToml.matchAll(/\[\[ratelimits\]\]\s*name = "([A-Z_]+)"\s*namespace_id = "(\d+)"\s*simple = \{ limit = (\d+), period = (\d+) \}/g)].map(
      ([, name, namespace, limit, period]) => ({ name, namespace, limit: Number(limit), period: Number(period) }),
    );
    expect(declared).toHaveLength(Object.keys(defaultRateLimits.policies).length);
    expect(new Set(declared.map((binding) => binding.namespace)).size).toBe(declared.length);
    for (const policy of Object.values(defaultRateLimits.policies)) {
      expect(declared).toContainEqual(expect.objectContaining({ name: policy.binding, limit: policy.quota, period: policy.window }));
    }
  });

  it('adds policies to the defaults and points units at them', () => {
    const result = parse({ policies: { 'unit-huge': { quota: 90000, window: 60, binding: 'RATE_LIMIT_UNIT_HUGE' } }, units: { MH: { unit: 'unit-huge' }, 'KA-2': { client: 'client-large' } } });
    expect(result.success).toBe(true);
    const settings = result.data!;
    expect(Object.keys(settings.policies)).toEqual([...Object.keys(defaultRateLimits.policies), 'unit-huge']);
    expect(settings.tokenFailures).toEqual(defaultRateLimits.tokenFailures);
    const names = (unitCode?: string) => quotasFor(settings, { issuer: 'https://idp', subject: 'officer-7', unitCode }).map((quota) => [quota.kind, quota.policyName, quota.partition]);
    expect(names('MH')).toEqual([['client', 'client', 'client:https://idp officer-7'], ['unit', 'unit-huge', 'unit:MH']]);
    expect(names('KA-2')).toEqual([['client', 'client-large', 'client:https://idp officer-7'], ['unit', 'unit', 'unit:KA-2']]);
    expect(names('GJ')).toEqual([['client', 'client', 'client:https://idp officer-7'], ['unit', 'unit', 'unit:GJ']]);
    expect(names(undefined)).toEqual([['client', 'client', 'client:https://idp officer-7']]);
  });

  it('refuses a policy that is not defined, a window the binding cannot have, unknown keys, and text that is not JSON', () => {
    const problems = (settings: unknown) => (parse(settings).error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems({ units: { MH: { unit: 'unit-xl' } } })).toEqual(['units.MH.unit: no policy named unit-xl']);
    expect(problems({ client: 'nobody' })).toEqual(['client: no policy named nobody']);
    expect(problems({ policies: { slow: { quota: 10, window: 3600, binding: 'RATE_LIMIT_SLOW' } } })).toHaveLength(1);
    expect(problems({ units: { mh: { unit: 'unit' } } })).toHaveLength(1);
    expect(problems({ units: { MH: { station: 'unit' } } })).toHaveLength(1);
    expect(problems({ tokenFailures: { perClient: 0 } })).toHaveLength(1);
    expect(problems({ burst: 5 })).toHaveLength(1);
    expect(rateLimitSettingsJson.safeParse('{units:').error?.issues[0]?.message).toBe('must be JSON');
    const result = parseConfig({ ...env, RATE_LIMITS: '{"client":"nobody"}' });
    expect(result.ok ? [] : result.problems).toEqual(['RATE_LIMITS.client: no policy named nobody']);
  });
});

const quota = (kind: 'client' | 'unit', quota: number, window: 10 | 60 = 60): AppliedQuota => ({
  kind,
  partition: `${kind}:X`,
  policyName: kind,
  policy: { quota, window, binding: 'RATE_LIMIT_X' },
});

describe('the RateLimit headers (draft-ietf-httpapi-ratelimit-headers, structured fields)', () => {
  it('names each quota by what it counts, and reports only remaining counts that are known', () => {
    expect(rateLimitPolicyHeader([quota('client', 600), quota('unit', 6000, 10)])).toBe('"client";q=600;w=60, "unit";q=6000;w=10');
    expect(rateLimitHeader([{ quota: quota('client', 600), outcome: { allowed: true } }])).toBeUndefined();
    expect(
      rateLimitHeader([
        { quota: quota('client', 600), outcome: { allowed: true } },
        { quota: quota('unit', 6000), outcome: { allowed: false, remaining: 0, resetSeconds: 60 } },
      ]),
    ).toBe('"unit";r=0;t=60');
    expect(rateLimitHeader([{ quota: quota('client', 3), outcome: { allowed: true, remaining: 2, resetSeconds: 17 } }])).toBe('"client";r=2;t=17');
  });
});

describe('the limiters', () => {
  it('in memory: a fixed window that opens with its first request, per partition, exact about what is left', async () => {
    let now = 1_000_000;
    const limiter = memoryRateLimiter(() => now);
    const three = quota('client', 3);
    expect(await limiter.hit(three)).toEqual({ allowed: true, remaining: 2, resetSeconds: 60 });
    now += 10_000;
    expect(await limiter.hit(three)).toEqual({ allowed: true, remaining: 1, resetSeconds: 50 });
    expect(await limiter.hit(three)).toEqual({ allowed: true, remaining: 0, resetSeconds: 50 });
    now += 49_001;
    expect(await limiter.hit(three)).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
    expect(await limiter.hit({ ...three, partition: 'client:Y' })).toEqual({ allowed: true, remaining: 2, resetSeconds: 60 });
    now += 999;
    expect(await limiter.hit(three)).toEqual({ allowed: true, remaining: 2, resetSeconds: 60 });
  });

  it('on Workers: the policy\'s binding decides, keyed by policy and partition; a missing binding is a configuration error', async () => {
    const keys: string[] = [];
    const binding = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: keys.length < 2 }) };
    const limiter = bindingRateLimiter({ RATE_LIMIT_X: binding });
    expect(await limiter.hit(quota('unit', 5))).toEqual({ allowed: true });
    expect(await limiter.hit(quota('unit', 5))).toEqual({ allowed: false, remaining: 0, resetSeconds: 60 });
    expect(keys).toEqual(['unit/unit:X', 'unit/unit:X']);
    await expect(bindingRateLimiter({}).hit(quota('unit', 5))).rejects.toBeInstanceOf(MissingRateLimitBinding);
  });
});

describe('the source address a failed token request counts against', () => {
  it('is an IPv4 address as it is, an IPv6 address by its /64, IPv4-mapped IPv6 as IPv4, and nothing that is not an address', () => {
    expect(addressPartition('203.0.113.7')).toBe('203.0.113.7');
    expect(addressPartition('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressPartition('2001:DB8:0:12::1')).toBe('2001:db8:0:12::/64');
    expect(addressPartition('2001:db8:0000:0012:abcd:ef01:2345:6789')).toBe('2001:db8:0:12::/64');
    expect(addressPartition('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(addressPartition('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressPartition('::1')).toBe('0:0:0:0::/64');
    expect(addressPartition('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
    for (const notAnAddress of [undefined, '', 'unknown', '256.1.1.1', '1.2.3', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', '2001:db8::12345']) {
      expect(addressPartition(notAnAddress), String(notAnAddress)).toBeUndefined();
    }
  });
});
