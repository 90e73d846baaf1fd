import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import committed from '../../openapi.yaml';
import { clientScopes } from '../../src/auth/permissions.js';
import { renderOpenApiYaml } from '../../src/openapi-document.js';
import { api } from '../support/api.js';

type ContractResponse = { $ref?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> };
type ContractOperation = { security?: unknown[]; responses: Record<string, ContractResponse> };

function contractOperations(document: { paths: Record<string, Record<string, ContractOperation>> }) {
  return Object.entries(document.paths).flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));
}

describe('the contract', () => {
  it('openapi.yaml is what the route definitions generate (run `npm run openapi` if this fails)', () => {
    expect(committed).toBe(renderOpenApiYaml());
  });

  it('is OpenAPI 3.1 with an operationId, a tag and problem responses on every operation', () => {
    const document = parse(committed);
    expect(document.openapi).toBe('3.1.0');
    for (const [path, operations] of Object.entries<Record<string, { operationId?: string; tags?: string[]; responses: Record<string, unknown> }>>(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toBeTruthy();
        expect(operation.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain('500');
      }
    }
  });

  it('writes each zod regex as its source, so a pattern matches what the route accepts', () => {
    const document = parse(committed);
    const patterns = [...JSON.stringify(document).matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g)].map((match) => JSON.parse(match[1]!) as string);
    expect(patterns.length).toBeGreaterThan(5);
    for (const pattern of patterns) expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    expect(patterns.filter((pattern) => /\$\/[a-z]+$/.test(pattern))).toEqual([]);
    const reference = document.components.schemas.ExternalReferenceInput.properties.value as { pattern: string; example: string };
    expect(reference.example).toBe('0123/2026');
    expect(new RegExp(reference.pattern, 'u').test(reference.example)).toBe(true);
    expect(new RegExp(reference.pattern, 'u').test('FIR 45/2026: Cyber PS')).toBe(true);
  });

  it('writes a nullable reference as anyOf [$ref, null], never as an allOf that null cannot pass', () => {
    const allOfs: unknown[][] = [];
    const collect = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray((node as { allOf?: unknown }).allOf)) allOfs.push((node as { allOf: unknown[] }).allOf);
      Object.values(node).forEach(collect);
    };
    collect(parse(committed));
    expect(allOfs.length).toBeGreaterThan(0);
    const allowsNull = (branch: { type?: string | string[] }) => [branch.type ?? []].flat().includes('null');
    expect(allOfs.filter((branches) => (branches as { type?: string | string[] }[]).some(allowsNull))).toEqual([]);
    const custodyEvent = parse(committed).components.schemas.CustodyEvent.properties;
    expect(custodyEvent.fromCustodian).toEqual({ anyOf: [{ $ref: '#/components/schemas/Custodian' }, { type: 'null' }] });
  });

  it('says which operations need no credentials, and offers the client-credentials flow beside bearer tokens', () => {
    const document = parse(committed);
    expect(document.components.securitySchemes.clientCredentials).toMatchObject({
      type: 'oauth2',
      flows: { clientCredentials: { tokenUrl: '/v1/oauth/token' } },
    });
    expect(Object.keys(document.components.securitySchemes.clientCredentials.flows.clientCredentials.scopes)).toEqual([...clientScopes]);
    const operations = Object.values<Record<string, { operationId: string; security?: Record<string, string[]>[] }>>(document.paths).flatMap((byMethod) => Object.values(byMethod));
    expect(operations.filter((operation) => operation.security?.length === 0).map((operation) => operation.operationId).sort()).toEqual(['getHealth', 'getJwks', 'getProblemPage', 'issueToken', 'listSignInOptions']);
    const guarded = operations.filter((operation) => operation.security?.length !== 0);
    expect(guarded.filter((operation) => !operation.security?.some((requirement) => 'bearerAuth' in requirement))).toEqual([]);
    const clientScoped = guarded.flatMap((operation) => operation.security!.filter((requirement) => 'clientCredentials' in requirement).map((requirement) => requirement.clientCredentials!));
    expect(clientScoped.length).toBeGreaterThan(30);
    for (const scopes of clientScoped) expect(scopes.length === 1 && (clientScopes as readonly string[]).includes(scopes[0]!), String(scopes)).toBe(true);
    const reportCase = document.paths['/v1/cases'].post;
    expect(reportCase.security).toEqual([{ bearerAuth: [] }, { clientCredentials: ['cases:report'] }]);
  });

  it('defines each tag an operation uses, with a description', () => {
    const document = parse(committed);
    const used = new Set(Object.values<Record<string, { tags: string[] }>>(document.paths).flatMap((byMethod) => Object.values(byMethod).flatMap((operation) => operation.tags)));
    const defined = document.tags as { name: string; description?: string }[];
    expect(defined.map((tag) => tag.name).sort()).toEqual([...used].sort());
    for (const tag of defined) expect(tag.description?.length ?? 0, tag.name).toBeGreaterThan(20);
  });

  it('marks If-Match required exactly where a missing one is answered 428', () => {
    const operations = Object.values<Record<string, { operationId: string; parameters?: { name: string; in: string; required?: boolean }[]; responses: Record<string, unknown> }>>(parse(committed).paths).flatMap((byMethod) => Object.values(byMethod));
    const withIfMatch = operations.filter((operation) => operation.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === 'if-match'));
    expect(withIfMatch.length).toBeGreaterThan(15);
    // A PUT that creates when nothing is there yet answers 428 only when replacing: If-Match stays optional.
    const upserts = ['putPlatform', 'putLetterTemplate'];
    for (const operation of withIfMatch.filter((operation) => !upserts.includes(operation.operationId))) {
      const ifMatch = operation.parameters!.find((parameter) => parameter.name === 'if-match')!;
      expect(ifMatch.required ?? false, operation.operationId).toBe('428' in operation.responses);
    }
    expect(withIfMatch.filter((operation) => '428' in operation.responses).length).toBeGreaterThanOrEqual(13);
  });

  it('declares 405 (with Allow) on every operation, and 429 (with Retry-After and RateLimit) on every one that counts requests', () => {
    const document = parse(committed);
    const resolve = (response: ContractResponse) => (response.$ref ? (document.components.responses[response.$ref.split('/').pop()!] as ContractResponse) : response);
    const operations = contractOperations(document);
    expect(operations.length).toBeGreaterThan(80);
    for (const { name, operation } of operations) {
      const methodNotAllowed = resolve(operation.responses['405']!);
      expect(Object.keys(methodNotAllowed.content ?? {}), name).toEqual(['application/problem+json']);
      expect(Object.keys(methodNotAllowed.headers ?? {}), name).toContain('Allow');
    }
    const withoutQuota = operations.filter(({ operation }) => !operation.responses['429']).map(({ name }) => name);
    // Nothing counts the public reads: the quotas apply under /v1 once a caller is known (src/auth/require-auth.ts).
    expect(withoutQuota.sort()).toEqual(['GET /.well-known/jwks.json', 'GET /health', 'GET /problems/{code}', 'GET /v1/sign-in']);
    for (const { name, operation } of operations.filter(({ operation }) => operation.responses['429'])) {
      const tooMany = resolve(operation.responses['429']!);
      expect(Object.keys(tooMany.content ?? {}), name).toEqual(['application/problem+json']);
      expect(Object.keys(tooMany.headers ?? {}), name).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']));
    }
  });

  it('declares X-Request-Id on every response, Retry-After on every 503 problem, and the quota headers on every counted answer', () => {
    const document = parse(committed);
    const resolve = (response: ContractResponse) => (response.$ref ? (document.components.responses[response.$ref.split('/').pop()!] as ContractResponse) : response);
    for (const { name, operation } of contractOperations(document)) {
      const counted = (operation.security?.length ?? 1) > 0;
      for (const [status, declared] of Object.entries(operation.responses)) {
        const response = resolve(declared);
        const headers = Object.keys(response.headers ?? {});
        expect(headers, `${name} ${status}`).toContain('X-Request-Id');
        if (status === '503' && 'application/problem+json' in (response.content ?? {})) expect(headers, `${name} ${status}`).toContain('Retry-After');
        if (counted && /^[24]/.test(status) && !['401', '405'].includes(status)) expect(headers, `${name} ${status}`).toEqual(expect.arrayContaining(['RateLimit', 'RateLimit-Policy']));
      }
    }
    const reportCase = document.paths['/v1/cases'].post.responses['201'].headers;
    expect(Object.keys(reportCase)).toEqual(expect.arrayContaining(['ETag', 'Location']));
    expect(document.components.headers['X-Request-Id'].schema).toMatchObject({ type: 'string', format: 'uuid' });
  });

  it('answers a wrong method with the 405 the contract declares: problem+json, Allow and X-Request-Id', async () => {
    const response = await api('/v1/units', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await response.json()) as { code: string }).code).toBe('method_not_allowed');
  });

  it('serves the committed document and an interactive reference', async () => {
    const served = await api('/openapi.yaml');
    expect(served.headers.get('content-type')).toContain('yaml');
    expect(new TextDecoder().decode(await served.arrayBuffer())).toBe(committed);
    const docs = await api('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.yaml');
  });
});
