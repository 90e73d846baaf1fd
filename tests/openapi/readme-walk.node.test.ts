import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract, describeErrors, requestBodySchema } from './contract-validator.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The JSON a README command sends with -d '…' to this path (the walk's curl lines). */
function readmeBodySentTo(method: string, path: string): unknown {
  const command = readme.split(/\n(?=\S)/).find((block) => block.includes(`http://127.0.0.1:8787${path} `) && block.includes("-d '"));
  if (!command) throw new Error(`the README sends nothing to ${method} ${path}`);
  return JSON.parse(/-d '([^']*)'/.exec(command)![1]!);
}

describe("the README's walk against the contract", () => {
  it('sends an intake body the request schema of POST /v1/cases accepts, leaving out what has a default', () => {
    const intake = readmeBodySentTo('post', '/v1/cases') as { incident: Record<string, unknown>; payments: Record<string, unknown>[] };
    expect(intake.incident).not.toHaveProperty('threat');
    expect(intake.payments[0]).not.toHaveProperty('currency');
    const validate = requestBodySchema('/v1/cases', 'post');
    expect(validate(intake), describeErrors(validate)).toBe(true);
  });

  it('marks no field with a default as required in a request body', () => {
    const required = requiredFieldsWithDefaults(contract, new Set());
    expect(required).toEqual([]);
  });
});

/** Fields a request body schema both requires and gives a default, anywhere under the request bodies. */
function requiredFieldsWithDefaults(document: Record<string, unknown>, seen: Set<unknown>): string[] {
  const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
  const found: string[] = [];
  const visit = (node: unknown, where: string) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const object = node as Record<string, unknown>;
    if (typeof object.$ref === 'string') {
      const name = object.$ref.replace('#/components/schemas/', '');
      return visit(schemas[name], name);
    }
    if (object.properties && Array.isArray(object.required)) {
      for (const [key, property] of Object.entries(object.properties as Record<string, Record<string, unknown>>)) {
        if ('default' in property && object.required.includes(key)) found.push(`${where}.${key}`);
      }
    }
    for (const value of Object.values(object)) visit(value, where);
  };
  for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { requestBody?: unknown }>>)) {
    for (const [method, operation] of Object.entries(operations)) visit(operation.requestBody, `${method} ${path}`);
  }
  return found;
}
