/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import committed from '../../openapi.yaml';
import { PROBLEM_CODES, problemCatalogue } from '../../src/http/problem-catalogue.js';

const sources = import.meta.glob<string>('../../src/**/*.ts', { query: '?raw', import: 'default', eager: true });

describe('the problem catalogue', () => {
  it('documents every code in openapi.yaml, with its status and meaning', () => {
    const code = parse(committed).components.schemas.Problem.properties.code as { enum: string[]; description: string };
    expect(code.enum).toEqual(PROBLEM_CODES);
    for (const name of PROBLEM_CODES) expect(code.description).toContain(`\`${name}\` (${problemCatalogue[name].status})`);
  });

  it('is the only place a problem gets its code: every code the source names is in it', () => {
    const named = Object.entries(sources).flatMap(([path, text]) =>
      [...text.matchAll(/new ProblemError\(\s*'([a-z_0-9]+)'/g)].map((match) => ({ path, code: match[1]! })),
    );
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter(({ code }) => !(code in problemCatalogue))).toEqual([]);
    const statusFirst = Object.entries(sources).filter(([, text]) => /new ProblemError\(\s*\d/.test(text)).map(([path]) => path);
    expect(statusFirst).toEqual([]);
  });
});
