import type { JWTHeaderParameters, JWTPayload } from 'jose';

/** Header `typ` values an access token may carry: RFC 9068's at+jwt, or the generic JWT most providers send. */
const accessTokenTypes = ['jwt', 'at+jwt', 'application/jwt', 'application/at+jwt'];

/** What gives an ID token away: claims OpenID Connect defines for ID tokens only, or a provider's own label. */
function idTokenMarkOf(claims: JWTPayload): string | undefined {
  if (claims.nonce !== undefined) return 'a nonce';
  if (claims.at_hash !== undefined) return 'at_hash';
  if (claims.c_hash !== undefined) return 'c_hash';
  if (claims.token_use === 'id') return 'token_use: id';
  if (claims.typ === 'ID') return 'typ: ID';
  return undefined;
}

/**
 * Why a verified token is not an access token for this API, or undefined if it is one. A provider
 * registered with acceptIdTokens may send ID tokens instead (legacy single-page clients).
 */
export function whyNotAnAccessToken(header: JWTHeaderParameters, claims: JWTPayload, options: { acceptIdTokens: boolean }): string | undefined {
  if (header.typ !== undefined && !accessTokenTypes.includes(header.typ.toLowerCase())) {
    return `the token's typ header (${header.typ}) is not that of an access token (at+jwt)`;
  }
  const idTokenMark = idTokenMarkOf(claims);
  if (idTokenMark) {
    return options.acceptIdTokens ? undefined : `this is an ID token (it carries ${idTokenMark}), not an access token: send the access token`;
  }
  if (claims.token_use !== undefined && claims.token_use !== 'access') return `the token's token_use is ${String(claims.token_use)}, not access`;
  return undefined;
}
