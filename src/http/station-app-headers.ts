/**
 * The response headers of the station app's files (/app/*). Workers serves them as static assets
 * with these from assets/_headers (written by scripts/build-assets.ts); the Node entry sets them
 * itself. Scripts and styles come only from the app's own bundle; it talks to this API and to the
 * unit's identity provider: over https, or on loopback where the deployment allows loopback
 * identity providers (development and tests: ALLOW_LOOPBACK_JWKS).
 */
export function stationAppHeaders(allowLoopback: boolean): Record<string, string> {
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src 'self' https:${allowLoopback ? ' http://127.0.0.1:* http://localhost:*' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** Workers static assets' _headers file (https://developers.cloudflare.com/workers/static-assets/headers/). */
export function stationAppHeadersFile(allowLoopback: boolean): string {
  return `/app/*\n${Object.entries(stationAppHeaders(allowLoopback))
    .map(([name, value]) => `  ${name}: ${value}`)
    .join('\n')}\n`;
}
