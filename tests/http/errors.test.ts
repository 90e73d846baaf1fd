import { describe, expect, it } from 'vitest';
import { api, apiWithBindings, expectProblem } from '../support/api.js';
import { tokenFor } from '../support/tokens.js';

describe('errors are RFC 9457 problems', () => {
  it('answers an unknown route with a 404 problem', async () => {
    const problem = await expectProblem(await api('/v1/nothing-here'), 404, 'not_found');
    expect(problem).toMatchObject({ status: 404, type: 'http://api.test/problems/not_found', instance: '/v1/nothing-here' });
  });

  it('builds the problem type on PUBLIC_BASE_URL where it is set', async () => {
    const deployed = apiWithBindings({ PUBLIC_BASE_URL: 'https://sop-api.example.gov.in/' });
    const problem = await expectProblem(await deployed('/v1/nothing-here'), 404, 'not_found');
    expect(problem.type).toBe('https://sop-api.example.gov.in/problems/not_found');
  });

  it('answers a known path with the wrong method with a 405 and Allow', async () => {
    const response = await api('/v1/stations', { method: 'DELETE' });
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    await expectProblem(response, 405, 'method_not_allowed');
    await expectProblem(await api('/health', { method: 'POST' }), 405, 'method_not_allowed');
  });

  it('makes every request id itself, whatever the client sends: it goes into the audit chain', async () => {
    const given = await api('/v1/nothing-here', { headers: { 'X-Request-Id': 'station-frontend-42' } });
    const problem = await expectProblem(given, 404, 'not_found');
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const other = await expectProblem(await api('/v1/nothing-here', { headers: { 'X-Request-Id': 'station-frontend-42' } }), 404, 'not_found');
    expect(other.requestId).not.toBe(problem.requestId);
  });

  it('never shows a stack trace or SQL', async () => {
    const response = await api('/v1/stations?limit=abc', { token: await tokenFor.platform() });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toMatch(/at .*\.ts|select |stack/i);
  });
});
