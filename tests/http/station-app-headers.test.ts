import { describe, expect, it } from 'vitest';
import { stationAppHeaders, stationAppHeadersFile } from '../../src/http/station-app-headers.js';

describe('the station app’s headers', () => {
  it('admit only its own scripts and styles, and loopback identity providers only where allowed', () => {
    const deployed = stationAppHeaders(false)['Content-Security-Policy']!;
    expect(deployed).toContain("script-src 'self';");
    expect(deployed).toContain("style-src 'self';");
    expect(deployed).toContain("connect-src 'self' https:;");
    expect(deployed).not.toMatch(/http:/);
    expect(stationAppHeaders(true)['Content-Security-Policy']).toContain("connect-src 'self' https: http://127.0.0.1:* http://localhost:*;");
  });

  it('are written for Workers static assets under /app/*', () => {
    const file = stationAppHeadersFile(false).split('\n');
    expect(file[0]).toBe('/app/*');
    expect(file).toContain('  X-Content-Type-Options: nosniff');
    expect(file.find((line) => line.startsWith('  Content-Security-Policy: '))).toContain("frame-ancestors 'none'");
  });
});
