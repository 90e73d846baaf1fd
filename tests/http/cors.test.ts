import { describe, expect, it } from 'vitest';
import { api } from '../support/api.js';

describe('CORS for station frontends', () => {
  it('answers a preflight from an allowed origin', async () => {
    const response = await api('/v1/stations', {
      method: 'OPTIONS',
      headers: { Origin: 'https://station.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://station.example');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });

  it('gives other origins no CORS headers', async () => {
    const response = await api('/health', { headers: { Origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
