import type { Outcome } from './outcome.js';
import { asciiDomain } from './email.js';
import { normalizePhone, type NormalizedPhone } from './phone.js';
import {
  normalizePlatformAccountId,
  normalizePlatformHandle,
  type KnownPlatform,
  type NormalizedPlatformAccountId,
  type NormalizedPlatformHandle,
} from './platform.js';

/** What a known platform's link names, normalised exactly as if it had been given directly. */
export type DerivedIdentifier = NormalizedPlatformHandle | NormalizedPlatformAccountId | NormalizedPhone;

export interface NormalizedUrl {
  kind: 'url';
  /** The canonical link (see normalizeUrl). */
  normalized: string;
  raw: string;
  /** The canonical host: lower-case ASCII, without www., a known platform's aliases folded. */
  host: string;
  /** For a known platform's profile link, the handle, numeric account id or phone number it names. */
  derived?: DerivedIdentifier;
}

const MAX_URL_LENGTH = 2048;

type LinkPlatform = KnownPlatform | 'whatsapp_link';

/** Hosts of known platforms (after www. is dropped) and the one host each is written as. */
const PLATFORM_HOSTS: Record<string, { host: string; platform: LinkPlatform }> = {
  'instagram.com': { host: 'instagram.com', platform: 'instagram' },
  'm.instagram.com': { host: 'instagram.com', platform: 'instagram' },
  'instagr.am': { host: 'instagram.com', platform: 'instagram' },
  'facebook.com': { host: 'facebook.com', platform: 'facebook' },
  'm.facebook.com': { host: 'facebook.com', platform: 'facebook' },
  'web.facebook.com': { host: 'facebook.com', platform: 'facebook' },
  'mbasic.facebook.com': { host: 'facebook.com', platform: 'facebook' },
  'touch.facebook.com': { host: 'facebook.com', platform: 'facebook' },
  'fb.com': { host: 'facebook.com', platform: 'facebook' },
  'x.com': { host: 'x.com', platform: 'x' },
  'mobile.x.com': { host: 'x.com', platform: 'x' },
  'twitter.com': { host: 'x.com', platform: 'x' },
  'mobile.twitter.com': { host: 'x.com', platform: 'x' },
  't.me': { host: 't.me', platform: 'telegram' },
  'telegram.me': { host: 't.me', platform: 'telegram' },
  'telegram.dog': { host: 't.me', platform: 'telegram' },
  'youtube.com': { host: 'youtube.com', platform: 'youtube' },
  'm.youtube.com': { host: 'youtube.com', platform: 'youtube' },
  'snapchat.com': { host: 'snapchat.com', platform: 'snapchat' },
  'wa.me': { host: 'wa.me', platform: 'whatsapp_link' },
  'api.whatsapp.com': { host: 'api.whatsapp.com', platform: 'whatsapp_link' },
};

// Parameters that only say who shared a link or which campaign it came from.
const TRACKING_PARAMETERS = new Set([
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'igshid', 'igsh', 'mibextid',
  'mc_cid', 'mc_eid', '_ga', '_gl', 'ref_src', 'ref_url', 'rdid', 'share_url', 'sfnsn', '__tn__',
]);
const TRACKING_PREFIXES = ['utm_', '__cft__'];
const TRACKING_PARAMETERS_BY_HOST: Record<string, string[]> = {
  'x.com': ['s', 't'],
  'youtube.com': ['si', 'feature', 'pp'],
  'youtu.be': ['si', 'feature'],
  'instagram.com': ['img_index'],
};

// First path segments that are the platform's own pages, not a user's.
const INSTAGRAM_PAGES = new Set([
  'p', 'reel', 'reels', 'tv', 'explore', 'accounts', 'direct', 'about', 'legal', 'developer', 'web', 'challenge',
  'emails', 'session', 'sessions', 'share', 's', 'ar', 'create', 'privacy', 'terms', 'api', 'graphql', 'oauth', 'static',
  'topics', 'locations', 'directory', 'lite', 'download', 'press',
]);
const FACEBOOK_PAGES = new Set([
  'people', 'pages', 'groups', 'watch', 'events', 'marketplace', 'gaming', 'photo', 'photos', 'share', 'sharer',
  'login', 'help', 'settings', 'messages', 'notifications', 'friends', 'search', 'hashtag', 'reel', 'reels', 'stories',
  'videos', 'dialog', 'plugins', 'privacy', 'policies', 'legal', 'business', 'ads', 'checkpoint', 'recover',
  'fundraisers', 'media', 'composer', 'bookmarks', 'saved', 'memories', 'latest', 'home', 'story', 'permalink', 'l',
]);
const X_PAGES = new Set([
  'home', 'explore', 'i', 'search', 'settings', 'messages', 'notifications', 'intent', 'share', 'hashtag', 'compose',
  'tos', 'privacy', 'login', 'logout', 'signup', 'account', 'who_to_follow', 'jobs', 'download', 'about', 'help',
  'search-advanced', 'topics', 'lists', 'communities', 'jointerminal',
]);
const TELEGRAM_PAGES = new Set([
  'joinchat', 'addstickers', 'addemoji', 'addtheme', 'share', 'proxy', 'socks', 'setlanguage', 'iv', 'login',
  'confirmphone', 'bg', 'invoice', 'c', 'boost', 'addlist', 'contact',
]);

/**
 * Canonical form of a web link, so that the same page shared twice compares equal:
 * - http and https only; a link without a scheme is read as https (the scheme given is kept);
 * - scheme and host lower-case, international hosts as punycode, a trailing dot dropped;
 * - `www.` dropped from every host, and a known platform's other hosts folded into one
 *   (m.facebook.com → facebook.com, twitter.com → x.com, telegram.me → t.me);
 * - default ports, user name and password, and the fragment dropped;
 * - tracking parameters dropped (utm_*, fbclid, igshid, gclid…, and per platform X's s and t,
 *   YouTube's si), the rest sorted by name;
 * - trailing slashes dropped except the root's (`https://example.com/`); path case kept.
 */
export function normalizeUrl(raw: string): Outcome<NormalizedUrl> {
  const text = raw.trim();
  if (text === '') return { ok: false, problem: 'a URL is required' };
  if (text.length > MAX_URL_LENGTH) return { ok: false, problem: `a URL has at most ${MAX_URL_LENGTH} characters` };
  if (/\s/.test(text)) return { ok: false, problem: 'a URL has no spaces (is it two links?)' };
  const withScheme = withWebScheme(text);
  if (!withScheme.ok) return withScheme;
  let url: URL;
  try {
    url = new URL(withScheme.value);
  } catch {
    return { ok: false, problem: 'not a web address' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'only http and https links are accepted' };
  const givenHost = url.hostname.replace(/\.$/, '');
  if (!isPublicHostShape(givenHost)) return { ok: false, problem: 'the host of a URL is a domain name like example.com, or an IP address' };
  const bareHost = givenHost.startsWith('www.') && givenHost.indexOf('.', 4) !== -1 ? givenHost.slice(4) : givenHost;
  const known = Object.hasOwn(PLATFORM_HOSTS, bareHost) ? PLATFORM_HOSTS[bareHost] : undefined;
  const host = known?.host ?? bareHost;

  url.hostname = host;
  url.username = '';
  url.password = '';
  url.hash = '';
  const kept = [...url.searchParams].filter(([name]) => !isTrackingParameter(name, host));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  url.search = kept.length > 0 ? new URLSearchParams(kept).toString() : '';
  url.pathname = url.pathname.replace(/\/+$/, '') || '/';

  const derived = known ? deriveIdentifier(known.platform, url) : undefined;
  return { ok: true, value: { kind: 'url', normalized: url.href, raw, host, ...(derived ? { derived } : {}) } };
}

function withWebScheme(text: string): Outcome<string> {
  // A colon before any slash starts a scheme, unless a port number follows it (example.com:8080).
  const scheme = /^([a-z][a-z0-9+.-]*):(?![0-9])/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { ok: true, value: text.startsWith('//') ? `https:${text}` : `https://${text}` };
  if (scheme === 'http' || scheme === 'https') return { ok: true, value: text };
  if (scheme === 'upi') return { ok: false, problem: 'a upi: link is a payment request: record it as kind upi' };
  if (scheme === 'mailto') return { ok: false, problem: 'a mailto: link is an e-mail address: record it as kind email' };
  if (scheme === 'tel') return { ok: false, problem: 'a tel: link is a phone number: record it as kind phone' };
  return { ok: false, problem: 'only http and https links are accepted' };
}

function isPublicHostShape(host: string): boolean {
  if (host.startsWith('[')) return true;
  if (/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(host)) return true;
  return asciiDomain(host) === host;
}

function isTrackingParameter(name: string, host: string): boolean {
  const key = name.toLowerCase();
  if (TRACKING_PARAMETERS.has(key) || TRACKING_PREFIXES.some((prefix) => key.startsWith(prefix))) return true;
  return TRACKING_PARAMETERS_BY_HOST[host]?.includes(key) ?? false;
}

function deriveIdentifier(platform: LinkPlatform, url: URL): DerivedIdentifier | undefined {
  const segments = url.pathname.split('/').filter(Boolean).map(decodeSegment);
  const [first = '', second = '', third = ''] = segments;
  const query = url.searchParams;
  switch (platform) {
    case 'instagram':
      if (first === '_u' || first === 'stories') return second === 'highlights' ? undefined : handle('instagram', second);
      return INSTAGRAM_PAGES.has(first.toLowerCase()) ? undefined : handle('instagram', first);
    case 'facebook':
      if (first === 'profile.php') return accountId('facebook', query.get('id'));
      if (first === 'people') return accountId('facebook', third);
      if (/^[0-9]+$/.test(first)) return accountId('facebook', first);
      if (FACEBOOK_PAGES.has(first.toLowerCase()) || first.includes('.php')) return undefined;
      return handle('facebook', first);
    case 'x':
      if (first === 'i' && second === 'user') return accountId('x', third);
      if (first === 'intent' && (second === 'user' || second === 'follow')) {
        return accountId('x', query.get('user_id')) ?? handle('x', query.get('screen_name'));
      }
      return X_PAGES.has(first.toLowerCase()) ? undefined : handle('x', first);
    case 'telegram':
      if (first === 's') return handle('telegram', second);
      return first.startsWith('+') || TELEGRAM_PAGES.has(first.toLowerCase()) ? undefined : handle('telegram', first);
    case 'youtube':
      return first.startsWith('@') ? handle('youtube', first) : undefined;
    case 'snapchat':
      if (first === 'add') return handle('snapchat', second);
      return first.startsWith('@') ? handle('snapchat', first) : undefined;
    case 'whatsapp_link':
      if (url.hostname === 'wa.me') return phone(first);
      return first === 'send' ? phone(query.get('phone')) : undefined;
    default:
      return undefined;
  }
}

function handle(platform: KnownPlatform, value: string | null | undefined): NormalizedPlatformHandle | undefined {
  if (!value) return undefined;
  const result = normalizePlatformHandle({ platform, handle: value });
  return result.ok ? result.value : undefined;
}

function accountId(platform: KnownPlatform, value: string | null | undefined): NormalizedPlatformAccountId | undefined {
  if (!value) return undefined;
  const result = normalizePlatformAccountId({ platform, accountId: value });
  return result.ok ? result.value : undefined;
}

/** WhatsApp links carry the number in international form without the plus. */
function phone(value: string | null | undefined): NormalizedPhone | undefined {
  const digits = value?.replace(/[^0-9]/g, '');
  if (!digits) return undefined;
  const result = normalizePhone(`+${digits}`);
  return result.ok ? result.value : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
