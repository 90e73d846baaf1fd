import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchEnvironment } from '../../scripts/bench/setup.js';
import { startNodeEntry, type NodeEntry } from '../support/node-entry.js';
import { describeErrors, responseSchema } from './contract-validator.js';

/** Answers of the running app (the Node entry, on an embedded database of its own) read through openapi.yaml. */
describe('live answers against the contract', () => {
  let env: BenchEnvironment;
  let node: NodeEntry;
  let base: string;

  beforeAll(async () => {
    node = await startNodeEntry('contract', { ALLOW_LOOPBACK_JWKS: 'true' });
    ({ env, base } = node);
  }, 120_000);

  afterAll(async () => {
    await node?.close();
  });

  async function call(method: string, path: string, token: string, body?: unknown) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('a null custodian, officer and safety screen validate where the contract allows null', async () => {
    const officer = await env.token({ roles: ['investigating_officer'], unit: 'MH', station: 'MH-PUNE-CYBER' });
    const reported = await call('POST', '/v1/cases', officer, {
      complainant: { name: 'Contract complainant', phone: '9812345611', relationToVictim: 'self' },
      victim: { age: 22 },
      incident: { firstContactAt: new Date(Date.now() - 3_600_000).toISOString(), platforms: ['instagram'], channels: ['video_call'], imagesCirculated: false },
    });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    expect(reported.body).toMatchObject({ assignedOfficer: null, safetyScreen: null });
    const reportedCase = responseSchema('/v1/cases', 'post', 201);
    expect(reportedCase(reported.body), describeErrors(reportedCase)).toBe(true);

    const caseId = reported.body.id as string;
    const added = await call('POST', `/v1/cases/${caseId}/evidence`, officer, {
      kind: 'screenshot',
      description: 'Threat message',
      content: 'aGVsbG8=',
      capturedAt: new Date(Date.now() - 600_000).toISOString(),
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const evidence = await call('GET', `/v1/cases/${caseId}/evidence/${added.body.id as string}`, officer);
    expect(evidence.status).toBe(200);
    const custody = evidence.body.custody as { kind: string; fromCustodian: unknown }[];
    expect(custody[0]).toMatchObject({ kind: 'captured', fromCustodian: null });
    const evidenceItem = responseSchema('/v1/cases/{caseId}/evidence/{evidenceId}', 'get', 200);
    expect(evidenceItem(evidence.body), describeErrors(evidenceItem)).toBe(true);
    expect(evidenceItem({ ...evidence.body, custody: [{ ...custody[0], fromCustodian: 'nobody' }] })).toBe(false);
  }, 60_000);
});
