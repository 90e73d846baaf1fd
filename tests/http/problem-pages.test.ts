import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, problemCatalogue } from '../../src/http/problem-catalogue.js';
import { api, expectProblem } from '../support/api.js';

describe('every problem type URI opens a page that says what it means', () => {
  it('serves a page for each code in the catalogue, with its status, title and meaning', async () => {
    for (const code of PROBLEM_CODES) {
      const response = await api(`/problems/${code}`);
      expect(response.status, code).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await response.text();
      const { title, status } = problemCatalogue[code];
      expect(page).toContain(`<code>${code}</code>`);
      expect(page).toContain(String(status));
      expect(page).toContain(title.replace(/'/g, '&#39;'));
    }
  });

  it('the type of a live problem resolves to its page', async () => {
    const problem = await expectProblem(await api('/v1/nothing-here'), 404, 'not_found');
    const page = await api(new URL(problem.type as string).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<code>not_found</code>');
  });

  it('escapes the catalogue text and turns its `code` spans into <code>', async () => {
    const page = await (await api('/problems/validation_failed')).text();
    expect(page).toContain('<code>errors</code>');
    expect(page).not.toMatch(/`/);
  });

  it('answers an unknown or malformed code with a problem, not a page', async () => {
    await expectProblem(await api('/problems/no_such_problem'), 404, 'not_found');
    await expectProblem(await api('/problems/constructor'), 404, 'not_found');
    await expectProblem(await api('/problems/NOT-A-CODE'), 400, 'validation_failed');
  });
});
