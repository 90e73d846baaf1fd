import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * openapi.yaml read as an OpenAPI 3.1 tool reads it: its schemas are JSON Schema 2020-12, checked
 * with Ajv, formats included. Node only: Ajv compiles validators to code, which workerd refuses.
 */
export const contract = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;

const documentId = 'https://contract.test/openapi.yaml';
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(contract, documentId);

/** A validator for the schema at this JSON Pointer path into the document, its $refs resolved. */
export function schemaAt(path: readonly string[]) {
  const fragment = path.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
  return ajv.compile({ $ref: `${documentId}#/${fragment}` });
}

/** The request body schema of an operation, as a client sends it. */
export function requestBodySchema(path: string, method: string) {
  return schemaAt(['paths', path, method, 'requestBody', 'content', 'application/json', 'schema']);
}

export function describeErrors(validate: { errors?: unknown[] | null }) {
  return JSON.stringify(validate.errors ?? [], null, 1);
}

/** The JSON body schema of one of an operation's responses, as a client reads it. */
export function responseSchema(path: string, method: string, status: number) {
  return schemaAt(['paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema']);
}
