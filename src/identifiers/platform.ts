import type { Outcome } from './outcome.js';

/** The platforms the SOP has contact channels for. */
export const KNOWN_PLATFORMS = ['instagram', 'facebook', 'whatsapp', 'snapchat', 'x', 'telegram', 'youtube', 'google'] as const;
export type KnownPlatform = (typeof KNOWN_PLATFORMS)[number];

/**
 * A known platform, or `other:<name>` for any other app (dating, gaming, chat): the name is
 * lower-cased with spaces as dashes, so `other:Free Fire` is `other:free-fire`. A bare unknown
 * name is refused rather than taken as `other:`, so a misspelt `instagarm` cannot start a
 * separate, unlinkable family of identifiers.
 */
export type Platform = KnownPlatform | `other:${string}`;

/** Other names people use for a known platform. */
const PLATFORM_ALIASES: Record<string, KnownPlatform> = { twitter: 'x' };

const OTHER_PLATFORM_NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._-]{0,39}$/u;

interface HandleRule {
  pattern: RegExp;
  shape: string;
}

// Each platform's own username rules, kept a little loose where older accounts predate them.
const GENERIC_HANDLE: HandleRule = { pattern: /^[\p{L}\p{M}\p{N}._-]{1,64}$/u, shape: 'up to 64 letters, digits, dots, dashes and underscores' };
const HANDLE_RULES: Record<KnownPlatform, HandleRule> = {
  instagram: { pattern: /^[a-z0-9._]{1,30}$/, shape: 'up to 30 letters, digits, dots and underscores' },
  facebook: { pattern: /^[a-z0-9.]{1,50}$/, shape: 'up to 50 letters, digits and dots' },
  whatsapp: GENERIC_HANDLE,
  snapchat: { pattern: /^[a-z][a-z0-9._-]{2,14}$/, shape: '3 to 15 letters, digits, dots, dashes and underscores, starting with a letter' },
  x: { pattern: /^[a-z0-9_]{1,15}$/, shape: 'up to 15 letters, digits and underscores' },
  telegram: { pattern: /^[a-z][a-z0-9_]{3,31}$/, shape: '4 to 32 letters, digits and underscores, starting with a letter' },
  youtube: { pattern: /^[\p{L}\p{M}\p{N}._-]{3,30}$/u, shape: '3 to 30 letters, digits, dots, dashes and underscores' },
  google: GENERIC_HANDLE,
};

export interface NormalizedPlatformHandle {
  kind: 'platform_handle';
  /** `<platform>:<handle>`, e.g. instagram:ravi.k or other:tinder:ravi. */
  normalized: string;
  raw: { platform: string; handle: string };
  platform: Platform;
  /** Lower-case, without a leading @. */
  handle: string;
}

export interface NormalizedPlatformAccountId {
  kind: 'platform_account_id';
  /** `<platform>:<digits>`, e.g. facebook:100012345678901. */
  normalized: string;
  raw: { platform: string; accountId: string };
  platform: Platform;
  /** Digits only, without leading zeros. */
  accountId: string;
}

export function normalizePlatform(raw: string): Outcome<Platform> {
  const name = raw.trim().normalize('NFKC').toLowerCase();
  const known = knownPlatform(name);
  if (known) return { ok: true, value: known };
  if (name.startsWith('other:')) {
    const other = name.slice('other:'.length).trim().replace(/\s+/g, '-');
    const alsoKnown = knownPlatform(other);
    if (alsoKnown) return { ok: true, value: alsoKnown };
    if (!OTHER_PLATFORM_NAME.test(other)) {
      return { ok: false, problem: 'after other: comes the app\'s name: up to 40 letters, digits, dots, dashes and underscores' };
    }
    return { ok: true, value: `other:${other}` };
  }
  if (name === '') return { ok: false, problem: 'a platform is required' };
  return { ok: false, problem: `unknown platform: use one of ${KNOWN_PLATFORMS.join(', ')}, or other:<name> for any other app (e.g. other:tinder)` };
}

export function normalizePlatformHandle(raw: { platform: string; handle: string }): Outcome<NormalizedPlatformHandle> {
  const platform = normalizePlatform(raw.platform);
  if (!platform.ok) return platform;
  const text = raw.handle.trim().normalize('NFKC');
  if (text === '' || text === '@') return { ok: false, problem: 'a handle is required' };
  if (text.includes('/')) return { ok: false, problem: 'a handle has no slashes: record a profile link as kind url, which derives the handle from it' };
  if (platform.value === 'whatsapp' && /^\(?\+?[0-9\s().-]{7,}$/.test(text)) {
    return { ok: false, problem: 'a WhatsApp account is known by its phone number: record it as kind phone' };
  }
  if (/\s/.test(text)) return { ok: false, problem: 'a handle has no spaces (a display name is not a handle)' };
  const handle = text.replace(/^@/, '').toLowerCase().normalize('NFKC');
  if (platform.value === 'facebook' && /^[0-9]+$/.test(handle)) {
    return { ok: false, problem: 'an all-digit Facebook name is a numeric account id: record it as kind platform_account_id' };
  }
  const rule = isKnownPlatform(platform.value) ? HANDLE_RULES[platform.value] : GENERIC_HANDLE;
  if (!rule.pattern.test(handle)) return { ok: false, problem: `${platformLabel(platform.value)} handle has ${rule.shape}` };
  return {
    ok: true,
    value: { kind: 'platform_handle', normalized: `${platform.value}:${handle}`, raw, platform: platform.value, handle },
  };
}

export function normalizePlatformAccountId(raw: { platform: string; accountId: string }): Outcome<NormalizedPlatformAccountId> {
  const platform = normalizePlatform(raw.platform);
  if (!platform.ok) return platform;
  const text = raw.accountId.trim();
  if (text === '') return { ok: false, problem: 'an account id is required' };
  if (!/^[0-9]+$/.test(text)) {
    return { ok: false, problem: 'a platform account id is a number (digits only); a username belongs in kind platform_handle' };
  }
  const accountId = text.replace(/^0+/, '');
  if (accountId === '') return { ok: false, problem: 'an account id is not zero' };
  if (accountId.length > 20) return { ok: false, problem: 'a platform account id has at most 20 digits' };
  return {
    ok: true,
    value: { kind: 'platform_account_id', normalized: `${platform.value}:${accountId}`, raw, platform: platform.value, accountId },
  };
}

function knownPlatform(name: string): KnownPlatform | undefined {
  if (isKnownPlatform(name)) return name;
  return Object.hasOwn(PLATFORM_ALIASES, name) ? PLATFORM_ALIASES[name] : undefined;
}

function isKnownPlatform(name: string): name is KnownPlatform {
  return (KNOWN_PLATFORMS as readonly string[]).includes(name);
}

const PLATFORM_LABELS: Record<KnownPlatform, string> = {
  instagram: 'an Instagram',
  facebook: 'a Facebook',
  whatsapp: 'a WhatsApp',
  snapchat: 'a Snapchat',
  x: 'an X',
  telegram: 'a Telegram',
  youtube: 'a YouTube',
  google: 'a Google',
};

function platformLabel(platform: Platform): string {
  return isKnownPlatform(platform) ? PLATFORM_LABELS[platform] : `a ${platform.slice('other:'.length)}`;
}
