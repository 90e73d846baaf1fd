import { describe, expect, it } from 'vitest';
import { contract, describeErrors, schemaAt } from './contract-validator.js';

interface ExampleSite {
  where: string;
  schemaPath: string[];
  value: unknown;
}

/** Every example in the document beside the schema it illustrates: on a schema, a parameter, a header or a media type. */
function exampleSites(node: unknown, path: string[] = []): ExampleSite[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((item, index) => exampleSites(item, [...path, String(index)]));
  const object = node as Record<string, unknown>;
  const describesSchema = !('schema' in object);
  const schemaPath = describesSchema ? path : [...path, 'schema'];
  const sites: ExampleSite[] = [];
  if ('example' in object) sites.push({ where: [...path, 'example'].join(' › '), schemaPath, value: object.example });
  if (Array.isArray(object.examples) && describesSchema) {
    object.examples.forEach((value, index) => sites.push({ where: [...path, 'examples', String(index)].join(' › '), schemaPath, value }));
  } else if (object.examples && typeof object.examples === 'object' && !describesSchema) {
    for (const [name, example] of Object.entries(object.examples as Record<string, { value?: unknown }>)) {
      if ('value' in example) sites.push({ where: [...path, 'examples', name].join(' › '), schemaPath, value: example.value });
    }
  }
  const nested = Object.entries(object).filter(([key]) => key !== 'example' && key !== 'examples');
  return [...sites, ...nested.flatMap(([key, value]) => exampleSites(value, [...path, key]))];
}

describe('the examples in openapi.yaml', () => {
  const sites = exampleSites(contract);

  it('are many, from schemas, parameters and bodies', () => {
    expect(sites.length).toBeGreaterThan(50);
    expect(sites.some((site) => site.where.startsWith('paths') && site.where.includes('parameters'))).toBe(true);
    expect(sites.some((site) => site.where.startsWith('components › schemas'))).toBe(true);
  });

  it('each validate against the schema they illustrate', () => {
    const failures = sites.flatMap((site) => {
      const validate = schemaAt(site.schemaPath);
      return validate(site.value) ? [] : [`${site.where}: ${JSON.stringify(site.value)} ${describeErrors(validate)}`];
    });
    expect(failures).toEqual([]);
  });
});
