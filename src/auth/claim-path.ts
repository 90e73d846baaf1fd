/** Where a claim sits in a token: a dotted path (realm_access.roles) or a JSON pointer (RFC 6901) for names with dots. */
export const maxClaimPathLength = 200;
export const maxClaimPathDepth = 8;

const dottedSegment = /^[A-Za-z0-9_:-]+$/;

/** The path's segments, or why it is not a usable claim path. */
export function parseClaimPath(path: string): { segments: string[] } | { error: string } {
  if (path.length === 0 || path.length > maxClaimPathLength) return { error: `a claim path of 1 to ${maxClaimPathLength} characters` };
  let segments: string[];
  if (path.startsWith('/')) {
    if (/~[^01]|~$/.test(path)) return { error: 'in a JSON pointer, ~ must be followed by 0 or 1 (~0 is ~, ~1 is /)' };
    segments = path.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segments.some((segment) => segment === '')) return { error: 'a JSON pointer without empty segments, e.g. /resource_access/my.api/roles' };
  } else {
    segments = path.split('.');
    if (!segments.every((segment) => dottedSegment.test(segment))) {
      return { error: 'a claim name or dotted path of letters, digits, _, : and - (e.g. realm_access.roles); use a JSON pointer for names with dots' };
    }
  }
  if (segments.length > maxClaimPathDepth) return { error: `a claim path at most ${maxClaimPathDepth} levels deep` };
  return { segments };
}

/** The value at a claim path, reading only the claims' own properties; undefined where the path leads nowhere. */
export function readClaim(claims: Record<string, unknown>, path: string): unknown {
  const parsed = parseClaimPath(path);
  if ('error' in parsed) return undefined;
  let value: unknown = claims;
  for (const segment of parsed.segments) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
