import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('is healthy', async () => {
  const response = await exports.default.fetch('http://api.test/health');
  const body = await response.json();
  console.log(JSON.stringify(body));
  expect(response.status).toBe(200);
});
