import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../../src/db/client.js';
import { webhookSubscriptions } from '../../../src/db/schema.js';
import { createWebhookRoute } from '../../../src/routes/webhooks/create-webhook.js';
import { disableWebhookRoute } from '../../../src/routes/webhooks/disable-webhook.js';
import { enableWebhookRoute } from '../../../src/routes/webhooks/enable-webhook.js';
import { getWebhookRoute } from '../../../src/routes/webhooks/get-webhook.js';
import { listWebhooksRoute } from '../../../src/routes/webhooks/list-webhooks.js';
import { revokePreviousWebhookSecretRoute } from '../../../src/routes/webhooks/revoke-previous-webhook-secret.js';
import { rotateWebhookSecretRoute } from '../../../src/routes/webhooks/rotate-webhook-secret.js';
import { updateWebhookRoute } from '../../../src/routes/webhooks/update-webhook.js';
import { isSigningSecret } from '../../../src/webhooks/signing-secret.js';
import { api, apiWithBindings, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { testNow } from '../../support/clock.js';
import { ownerConfig } from '../../support/config.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

const receiver = 'https://efir.example.gov.in/hooks/sop';
const subscriptionBody = { url: receiver, scope: { level: 'unit' }, eventTypes: ['case.reported', 'case.transferred'] };

async function createWebhook(unitCode: string, token: string, body: Record<string, unknown> = {}) {
  const response = await api(`/v1/units/${unitCode}/webhooks`, { method: 'POST', token, body: { ...subscriptionBody, ...body } });
  return parseResponse(createWebhookRoute, 201, response);
}

async function unitWithWebhook() {
  const tenant = await createTestTenant();
  const adminToken = await tokenFor.unit(tenant.unitCode);
  const created = await createWebhook(tenant.unitCode, adminToken);
  return { tenant, adminToken, created, path: `/v1/units/${tenant.unitCode}/webhooks/${created.subscription.id}` };
}

/** What delivery will sign with, read as the owner. */
async function storedSecrets(id: string) {
  const [row] = await openHttpDatabase(ownerConfig()).select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  return { secret: row!.secret, previousSecret: row!.previousSecret, previousSecretExpiresAt: row!.previousSecretExpiresAt };
}

const hoursAfter = (from: Date, hours: number) => new Date(from.getTime() + hours * 3_600_000);

describe('webhook subscriptions: /v1/units/{unitCode}/webhooks', () => {
  it('subscribes, shows the secret in that response only, and reads it back without one', async () => {
    const { tenant, adminToken, created, path } = await unitWithWebhook();
    expect(created.subscription).toMatchObject({
      unitCode: tenant.unitCode,
      scope: { level: 'unit' },
      url: receiver,
      eventTypes: ['case.reported', 'case.transferred'],
      status: 'enabled',
      disabledReason: null,
      previousSecretExpiresAt: null,
      consecutiveFailures: 0,
      failingSince: null,
      version: 1,
    });
    expect(isSigningSecret(created.secret)).toBe(true);
    expect((await storedSecrets(created.subscription.id)).secret).toBe(created.secret);

    const listed = await api(`/v1/units/${tenant.unitCode}/webhooks`, { token: adminToken });
    const listText = await listed.clone().text();
    expect((await parseResponse(listWebhooksRoute, 200, listed)).data).toEqual([created.subscription]);
    const got = await api(path, { token: adminToken });
    expect(got.headers.get('ETag')).toBe('"v1"');
    const getText = await got.clone().text();
    expect(await parseResponse(getWebhookRoute, 200, got)).toEqual(created.subscription);
    for (const text of [listText, getText]) {
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain('whsec_');
    }
  });

  it('makes one subscription for a retried create with the same Idempotency-Key, and answers it with the same secret', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const headers = { 'Idempotency-Key': crypto.randomUUID() };
    const post = (body: Record<string, unknown>) => api(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token, headers, body: { ...subscriptionBody, ...body } });
    const first = await parseResponse(createWebhookRoute, 201, await post({}));
    const retried = await parseResponse(createWebhookRoute, 201, await post({}));
    expect(retried).toEqual(first);
    expect((await storedSecrets(first.subscription.id)).secret).toBe(first.secret);
    await expectProblem(await post({ eventTypes: ['step.escalated'] }), 422, 'idempotency_key_reused');
    const listed = await parseResponse(listWebhooksRoute, 200, await api(`/v1/units/${tenant.unitCode}/webhooks`, { token }));
    expect(listed.data.map((subscription) => subscription.id)).toEqual([first.subscription.id]);
  });

  it('listens at a district or station of its own unit only', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    expect((await createWebhook(tenant.unitCode, token, { scope: { level: 'station', stationCode: tenant.stationCodes[1] } })).subscription.scope).toEqual({
      level: 'station',
      stationCode: tenant.stationCodes[1],
    });
    expect((await createWebhook(tenant.unitCode, token, { scope: { level: 'district', districtCode: tenant.districtCodes[1] } })).subscription.scope).toEqual({
      level: 'district',
      districtCode: tenant.districtCodes[1],
    });
    const create = (scope: unknown) => api(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token, body: { ...subscriptionBody, scope } });
    await expectProblem(await create({ level: 'station', stationCode: other.stationCodes[0] }), 404, 'not_found');
    await expectProblem(await create({ level: 'district', districtCode: other.districtCodes[0] }), 404, 'not_found');
    await expectProblem(await create({ level: 'district', stationCode: tenant.stationCodes[0] }), 400, 'validation_failed');
    await expectProblem(await create({ level: 'platform' }), 400, 'validation_failed');
    const page = await parseResponse(listWebhooksRoute, 200, await api(`/v1/units/${tenant.unitCode}/webhooks`, { token }));
    expect(page.data).toHaveLength(2);
  });

  it('refuses event types the catalogue does not name, and an empty list', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const create = (eventTypes: unknown) => api(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token, body: { ...subscriptionBody, eventTypes } });
    const pointers = async (eventTypes: unknown) => (await expectProblem(await create(eventTypes), 400, 'validation_failed')).errors?.map((error) => error.pointer);
    expect(await pointers(['case.reported', 'case.deleted'])).toEqual(['/body/eventTypes/1']);
    expect(await pointers([])).toEqual(['/body/eventTypes']);
    expect(await pointers('case.reported')).toEqual(['/body/eventTypes']);
  });

  it('refuses receivers the outbound guard refuses, as identity providers\' key sets are refused', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const production = apiWithBindings({ ALLOW_LOOPBACK_JWKS: 'false' });
    for (const url of ['http://efir.example.gov.in/hooks', 'https://10.0.0.1/hooks', 'https://169.254.169.254/latest', 'https://[::1]/hooks', 'https://localhost/hooks', 'https://user:pw@efir.example.gov.in/', 'not a url']) {
      const problem = await expectProblem(await production(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token, body: { ...subscriptionBody, url } }), 400, 'validation_failed');
      expect(problem.errors, url).toEqual([expect.objectContaining({ pointer: '/body/url', detail: expect.stringMatching(/^url /) })]);
    }
    const { path, adminToken } = await unitWithWebhook();
    const patch = await production(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { url: 'https://192.168.1.10/hooks' } });
    expect((await expectProblem(patch, 400, 'validation_failed')).errors?.[0]?.pointer).toBe('/body/url');
    const page = await parseResponse(listWebhooksRoute, 200, await api(`/v1/units/${tenant.unitCode}/webhooks`, { token }));
    expect(page.data).toEqual([]);
  });

  it('changes the receiver, the events and the scope, guarded by If-Match', async () => {
    const { tenant, adminToken, created, path } = await unitWithWebhook();
    const patch = (body: Record<string, unknown>, ifMatch = '"v1"') => api(path, { method: 'PATCH', headers: { 'If-Match': ifMatch }, token: adminToken, body });
    const response = await patch({ url: 'https://other.example.org/in', eventTypes: ['case.transferred', 'case.transferred'], scope: { level: 'station', stationCode: tenant.stationCodes[2] } });
    expect(response.headers.get('ETag')).toBe('"v2"');
    expect(await parseResponse(updateWebhookRoute, 200, response)).toMatchObject({
      id: created.subscription.id,
      url: 'https://other.example.org/in',
      eventTypes: ['case.transferred'],
      scope: { level: 'station', stationCode: tenant.stationCodes[2] },
      version: 2,
    });
    await expectProblem(await patch({ url: receiver }), 412, 'precondition_failed');
    await expectProblem(await api(path, { method: 'PATCH', token: adminToken, body: { url: receiver } }), 428, 'precondition_required');
    await expectProblem(await patch({}, '*'), 400, 'validation_failed');
    await expectProblem(await patch({ secret: 'whsec_chosen' }, '*'), 400, 'validation_failed');
    const other = await createTestTenant();
    await expectProblem(await patch({ scope: { level: 'district', districtCode: other.districtCodes[0] } }, '*'), 404, 'not_found');
    expect(await parseResponse(updateWebhookRoute, 200, await patch({ scope: { level: 'unit' } }, '"v2"'))).toMatchObject({ scope: { level: 'unit' }, version: 3 });
    expect((await storedSecrets(created.subscription.id)).secret).toBe(created.secret);
  });

  it('rotates the secret: both sign until the overlap ends (a day by default), and the previous can be revoked early', async () => {
    const { adminToken, created, path } = await unitWithWebhook();
    const rotatedAt = testNow();
    const rotated = await parseResponse(rotateWebhookSecretRoute, 200, await api(`${path}/secret/rotate`, { method: 'POST', token: adminToken, at: rotatedAt }));
    expect(isSigningSecret(rotated.secret)).toBe(true);
    expect(rotated.secret).not.toBe(created.secret);
    const overlapEnds = hoursAfter(rotatedAt, 24).toISOString();
    expect(rotated.subscription.previousSecretExpiresAt).toBe(overlapEnds);
    expect(await storedSecrets(created.subscription.id)).toEqual({ secret: rotated.secret, previousSecret: created.secret, previousSecretExpiresAt: expect.any(String) });

    const read = async (at: Date) => {
      const response = await api(path, { token: adminToken, at });
      const text = await response.clone().text();
      expect(text).not.toContain('whsec_');
      return parseResponse(getWebhookRoute, 200, response);
    };
    expect((await read(hoursAfter(rotatedAt, 23))).previousSecretExpiresAt).toBe(overlapEnds);
    expect((await read(hoursAfter(rotatedAt, 25))).previousSecretExpiresAt).toBeNull();

    const revoked = await parseResponse(revokePreviousWebhookSecretRoute, 200, await api(`${path}/secret/previous/revoke`, { method: 'POST', token: adminToken, at: hoursAfter(rotatedAt, 1) }));
    expect(revoked.previousSecretExpiresAt).toBeNull();
    expect(await storedSecrets(created.subscription.id)).toEqual({ secret: rotated.secret, previousSecret: null, previousSecretExpiresAt: null });
    expect((await read(hoursAfter(rotatedAt, 2))).previousSecretExpiresAt).toBeNull();
  });

  it('takes the overlap from the request: 0 ends the old secret at once; out-of-range values are refused', async () => {
    const { adminToken, created, path } = await unitWithWebhook();
    const rotated = await parseResponse(rotateWebhookSecretRoute, 200, await api(`${path}/secret/rotate`, { method: 'POST', token: adminToken, body: { previousSecretValidForSeconds: 0 } }));
    expect(rotated.subscription.previousSecretExpiresAt).toBeNull();
    expect(await storedSecrets(created.subscription.id)).toEqual({ secret: rotated.secret, previousSecret: null, previousSecretExpiresAt: null });
    for (const previousSecretValidForSeconds of [-1, 604801, 1.5]) {
      await expectProblem(await api(`${path}/secret/rotate`, { method: 'POST', token: adminToken, body: { previousSecretValidForSeconds } }), 400, 'validation_failed');
    }
  });

  it('disables with a reason and enables again, starting the failure count afresh', async () => {
    const { adminToken, created, path } = await unitWithWebhook();
    const failingSince = testNow().toISOString();
    await openHttpDatabase(ownerConfig()).update(webhookSubscriptions).set({ consecutiveFailures: 7, failingSince }).where(eq(webhookSubscriptions.id, created.subscription.id));

    const disabled = await parseResponse(disableWebhookRoute, 200, await api(`${path}/disable`, { method: 'POST', token: adminToken, body: { reason: 'receiver moving datacentre' } }));
    expect(disabled).toMatchObject({ status: 'disabled', disabledReason: 'receiver moving datacentre', consecutiveFailures: 7 });
    const defaulted = await parseResponse(disableWebhookRoute, 200, await api(`${path}/disable`, { method: 'POST', token: adminToken }));
    expect(defaulted).toMatchObject({ status: 'disabled', disabledReason: expect.any(String) });

    const enabled = await parseResponse(enableWebhookRoute, 200, await api(`${path}/enable`, { method: 'POST', token: adminToken }));
    expect(enabled).toMatchObject({ status: 'enabled', disabledReason: null, consecutiveFailures: 0, failingSince: null });
    await expectProblem(await api(`${path}/disable`, { method: 'POST', token: adminToken, body: { reason: '  ' } }), 400, 'validation_failed');
  });

  it("answers another unit's administrator 404 on every operation, and changes nothing", async () => {
    const { tenant, adminToken, created, path } = await unitWithWebhook();
    const other = await createTestTenant();
    const outsider = await tokenFor.unit(other.unitCode);
    const foreignPath = `/v1/units/${other.unitCode}/webhooks/${created.subscription.id}`;
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/webhooks`, { token: outsider }), 404, 'not_found');
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token: outsider, body: subscriptionBody }), 404, 'not_found');
    for (const target of [path, foreignPath]) {
      await expectProblem(await api(target, { token: outsider }), 404, 'not_found');
      await expectProblem(await api(target, { method: 'PATCH', headers: { 'If-Match': '*' }, token: outsider, body: { url: 'https://attacker.example.com/' } }), 404, 'not_found');
      for (const action of ['secret/rotate', 'secret/previous/revoke', 'disable', 'enable']) {
        await expectProblem(await api(`${target}/${action}`, { method: 'POST', token: outsider }), 404, 'not_found');
      }
    }
    expect(await parseResponse(getWebhookRoute, 200, await api(path, { token: adminToken }))).toEqual(created.subscription);
    expect((await storedSecrets(created.subscription.id)).secret).toBe(created.secret);
  });

  it.each([
    ['a station officer', (unitCode: string, stationCode: string) => tokenFor.station(unitCode, stationCode)],
    ['a station house officer', (unitCode: string, stationCode: string) => tokenFor.station(unitCode, stationCode, 'station_house_officer')],
    ['an auditor', (unitCode: string) => signToken({ roles: ['auditor'], unit: unitCode })],
  ])('forbids %s every operation on webhooks (403)', async (_caller, tokenOf) => {
    const { tenant, path } = await unitWithWebhook();
    const token = await tokenOf(tenant.unitCode, tenant.stationCodes[0]);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/webhooks`, { token }), 403, 'forbidden');
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token, body: subscriptionBody }), 403, 'forbidden');
    await expectProblem(await api(path, { token }), 403, 'forbidden');
    await expectProblem(await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { url: receiver } }), 403, 'forbidden');
    for (const action of ['secret/rotate', 'secret/previous/revoke', 'disable', 'enable']) {
      await expectProblem(await api(`${path}/${action}`, { method: 'POST', token }), 403, 'forbidden');
    }
  });

  it('records every change on the unit audit trail, and never a secret', async () => {
    const { tenant, adminToken, created, path } = await unitWithWebhook();
    await parseResponse(updateWebhookRoute, 200, await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { eventTypes: ['case.reported'] } }));
    const rotated = await parseResponse(rotateWebhookSecretRoute, 200, await api(`${path}/secret/rotate`, { method: 'POST', token: adminToken }));
    await parseResponse(revokePreviousWebhookSecretRoute, 200, await api(`${path}/secret/previous/revoke`, { method: 'POST', token: adminToken }));
    await parseResponse(disableWebhookRoute, 200, await api(`${path}/disable`, { method: 'POST', token: adminToken, body: { reason: 'maintenance' } }));
    await parseResponse(enableWebhookRoute, 200, await api(`${path}/enable`, { method: 'POST', token: adminToken }));

    const trail = (await auditTrail(tenant.unitCode, adminToken)).filter((event) => event.target.type === 'webhook_subscription');
    expect(trail.map((event) => [event.action, event.target.id])).toEqual(
      ['webhook.created', 'webhook.updated', 'webhook.secret_rotated', 'webhook.previous_secret_revoked', 'webhook.disabled', 'webhook.enabled'].map((action) => [action, created.subscription.id]),
    );
    expect(trail[0]!.changes).toEqual({ url: receiver, placement: { level: 'unit' }, eventTypes: ['case.reported', 'case.transferred'] });
    expect(trail[1]!.changes).toEqual({ eventTypes: ['case.reported'] });
    expect(trail[2]!.changes).toEqual({ secret: 'rotated', previousSecretValidForSeconds: 86400 });
    expect(trail[3]!.changes).toEqual({ previousSecret: 'revoked' });
    expect(trail[4]!.changes).toEqual({ status: 'disabled', reason: 'maintenance' });
    expect(trail[5]!.changes).toEqual({ status: 'enabled' });
    const everything = JSON.stringify(trail);
    expect(everything).not.toContain(created.secret);
    expect(everything).not.toContain(rotated.secret);
  });
});
