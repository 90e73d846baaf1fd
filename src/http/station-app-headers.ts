/**
 * The response headers of the station app's files (/app/*). Workers serves them as static assets
 * with these from assets/_headers (written by scripts/build-assets.ts); the Node entry sets them
 * itself. Scripts and styles come only from the app's own bundle; it talks to this API and to the
 * unit's identity provider (https, or loopback in development).
 */
export const stationAppPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const stationAppHeaders: Record<string, string> = {
  'Content-Security-Policy': stationAppPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** Workers static assets' _headers file (https://developers.cloudflare.com/workers/static-assets/headers/). */
export function stationAppHeadersFile(): string {
  return `/app/*\n${Object.entries(stationAppHeaders)
    .map(([name, value]) => `  ${name}: ${value}`)
    .join('\n')}\n`;
}
