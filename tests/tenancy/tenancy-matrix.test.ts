import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import contract from '../../openapi.yaml';
import { api } from '../support/api.js';
import { expectDeclaredHeaders } from '../support/contract.js';
import { intake, reportTestCase } from '../support/cases.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { signToken, tokenFor } from '../support/tokens.js';
import { minutesAgo, testNow } from '../support/clock.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { openHttpDatabase } from '../../src/db/client.js';
import { auditCheckpoints, integrationEvents, units, webhookDeliveries } from '../../src/db/schema.js';
import { checkpointAuditChains, runScheduledWork } from '../../src/scheduled.js';
import { dispatchEvents } from '../../src/webhooks/delivery-work.js';

/**
 * Every operation in openapi.yaml against the callers that must not get through: no token,
 * a bad token, a caller of the tenant without the permission, and callers of another
 * station, district and unit. A new operation without an entry here fails the suite.
 */

type Caller = (tenant: TestTenant) => Promise<string>;

const callers = {
  platform: () => tokenFor.platform(),
  unitAdmin: (t: TestTenant) => tokenFor.unit(t.unitCode),
  auditor: (t: TestTenant) => tokenFor.auditor(t.unitCode),
  districtSupervisor: (t: TestTenant) => tokenFor.district(t.unitCode, t.districtCodes[0]),
  stationOfficer: (t: TestTenant) => tokenFor.station(t.unitCode, t.stationCodes[0]),
  stationHouseOfficer: (t: TestTenant) => tokenFor.station(t.unitCode, t.stationCodes[0], 'station_house_officer'),
  dutyOfficer: (t: TestTenant) => tokenFor.station(t.unitCode, t.stationCodes[0], 'duty_officer'),
  clientWithoutScopes: (t: TestTenant) => tokenFor.client(t.unitCode, []),
} satisfies Record<string, Caller>;

/** The same role, placed elsewhere in the same unit (another station, another district). */
const elsewhere = {
  otherStation: (t: TestTenant) => tokenFor.station(t.unitCode, t.stationCodes[1]),
  otherDistrict: (t: TestTenant) => tokenFor.district(t.unitCode, t.districtCodes[1]),
};

interface Request {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Text that must not appear in a list answered to a caller who may not see the object. */
  secret: string;
}

/** What a caller outside the object's tenancy gets: a 404, or a list that omits the object. */
type Isolation = 'not_found' | 'omitted' | 'not_applicable';

interface Entry {
  public?: false;
  /** Builds a request for an object of tenant `t`; may create that object first as its administrator. */
  request: (t: TestTenant) => Promise<Request>;
  allowed: Caller;
  allowedStatus: number;
  /** Who stands in for "another station" when the operation needs more than an investigating officer has. */
  otherStationCaller?: Caller;
  /** A caller of the same tenant that lacks the permission: 403. */
  wrongRole: Caller | null;
  /** More callers without the permission (the platform administrator on a unit's own business, officers): 403. */
  alsoRefused?: Caller[];
  otherStation: Isolation;
  otherDistrict: Isolation;
  otherUnit: Isolation;
}

let sequence = 0;
const next = () => `M${++sequence}`;

async function createdAsAdmin(t: TestTenant, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await api(path, { method: 'POST', token: await tokenFor.unit(t.unitCode), body });
  if (response.status !== 201) throw new Error(`setup ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const inlineKeys = { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k1' }] };
const identityProvider = () => ({ issuer: `https://idp.example/${crypto.randomUUID()}`, audience: 'sextortion-sop-api', jwks: inlineKeys, algorithms: ['ES256'] });
const newProvider = async (t: TestTenant) => (await createdAsAdmin(t, `/v1/units/${t.unitCode}/identity-providers`, identityProvider())).id as string;
const webhookBody = { url: 'https://efir.example.gov.in/hooks/sop', scope: { level: 'unit' }, eventTypes: ['case.reported'] };
const newWebhook = async (t: TestTenant) =>
  ((await createdAsAdmin(t, `/v1/units/${t.unitCode}/webhooks`, webhookBody)).subscription as { id: string }).id;
/** A delivery of a case's report to a new subscription, written by hand and never due, so that nothing attempts it. */
const newDelivery = async (t: TestTenant) => {
  const caseId = await newCase(t);
  // Fanned out while nothing subscribes, so the subscription has no delivery but this one.
  await dispatchEvents(appConfig(), new Date(), 10_000);
  const subscriptionId = await newWebhook(t);
  const owner = openHttpDatabase(ownerConfig());
  const [event] = await owner.select({ id: integrationEvents.id, unitId: integrationEvents.unitId }).from(integrationEvents).where(and(eq(integrationEvents.caseId, caseId), eq(integrationEvents.type, 'case.reported')));
  const [delivery] = await owner
    .insert(webhookDeliveries)
    .values({ unitId: event!.unitId, subscriptionId, eventId: event!.id, nextAttemptAt: '2999-01-01T00:00:00Z' })
    .returning({ id: webhookDeliveries.id });
  return { subscriptionId, deliveryId: delivery!.id };
};
const newClient = async (t: TestTenant) =>
  ((await createdAsAdmin(t, `/v1/units/${t.unitCode}/clients`, { name: 'Register', scopes: ['tenancy:read'] })).client as { clientId: string }).clientId;

const unitScoped = { otherStation: 'not_applicable', otherDistrict: 'not_applicable' } as const;

/** Who reads a unit's audit trail: its auditors and administrators, no one below the unit, no other unit. */
const auditReaders: Omit<Entry, 'request'> = {
  allowed: callers.auditor,
  allowedStatus: 200,
  wrongRole: callers.dutyOfficer,
  alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
  ...unitScoped,
  otherUnit: 'not_found',
};

/** An audited change in the unit, then the minute's checkpoint job: the unit's newest signed checkpoint. */
async function newCheckpoint(t: TestTenant) {
  await newClient(t);
  await runScheduledWork(appConfig(), testNow(), { checkpointAuditChains });
  const [kept] = await openHttpDatabase(ownerConfig())
    .select({ checkpoint: auditCheckpoints.checkpoint, hash: auditCheckpoints.hash })
    .from(auditCheckpoints)
    .innerJoin(units, eq(units.id, auditCheckpoints.unitId))
    .where(eq(units.code, t.unitCode))
    .orderBy(desc(auditCheckpoints.sequence))
    .limit(1);
  return kept!;
}

/** A case reported at the tenant's first station; its intake names this text, which no other tenant's list may show. */
const newCase = async (t: TestTenant) => (await reportTestCase(t)).id;
const newEvidence = async (t: TestTenant, caseId: string) => {
  const response = await api(`/v1/cases/${caseId}/evidence`, {
    method: 'POST',
    token: await tokenFor.station(t.unitCode, t.stationCodes[0]),
    body: { kind: 'screenshot', description: 'Chat screenshot', sha256: 'a'.repeat(64), capturedAt: minutesAgo(870) },
  });
  if (response.status !== 201) throw new Error(`setup evidence: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
};
const newRule = async (t: TestTenant) =>
  (await createdAsAdmin(t, `/v1/units/${t.unitCode}/routing-rules`, { name: 'Minors to cyber', priority: 1, victimIsMinor: true, targetStationCode: t.stationCodes[3] })).id as string;
const newOverlay = async (t: TestTenant) =>
  (await createdAsAdmin(t, '/v1/sops', { layer: 'unit', title: `Overlay of ${t.unitCode}`, body: { steps: [], retire: [] } })).id as string;
const baseSopId = async (t: TestTenant) => {
  const response = await api('/v1/sops?layer=base&status=published', { token: await tokenFor.unit(t.unitCode) });
  return ((await response.json()) as { data: Array<{ id: string }> }).data[0]!.id;
};
/** Station work on a case: refused to the same role at a sibling station (404) and in another district. */
const stationWork = { otherStation: 'not_found', otherDistrict: 'not_found', otherUnit: 'not_found' } as const;
/** The supervisor of the case's station, elsewhere. */
const otherStationHouseOfficer = (t: TestTenant) => tokenFor.station(t.unitCode, t.stationCodes[1], 'station_house_officer');

/** A draft request to Instagram on a new case, by the station's investigating officer. */
const newPlatformRequest = async (t: TestTenant, kind = 'preservation') => {
  const caseId = await newCase(t);
  const response = await api(`/v1/cases/${caseId}/requests`, { method: 'POST', token: await tokenFor.station(t.unitCode, t.stationCodes[0]), body: { platformKey: 'instagram', kind } });
  if (response.status !== 201) throw new Error(`setup request: ${response.status} ${await response.text()}`);
  return { caseId, requestId: ((await response.json()) as { id: string }).id };
};
/** The unit's own directory entry, named after the unit so no other unit may see it. */
const newUnitPlatform = async (t: TestTenant) => {
  const response = await api(`/v1/units/${t.unitCode}/platforms/local-bank`, { method: 'PUT', token: await tokenFor.unit(t.unitCode), body: { name: `Local bank of ${t.unitCode}`, category: 'bank' } });
  if (response.status !== 201) throw new Error(`setup platform: ${response.status} ${await response.text()}`);
  return 'local-bank';
};

/** The unit's own takedown letter, naming the unit so no other unit may see it. */
const newUnitLetterTemplate = async (t: TestTenant) => {
  const response = await api(`/v1/units/${t.unitCode}/letter-templates/takedown`, { method: 'PUT', token: await tokenFor.unit(t.unitCode), body: { body: `Letter of ${t.unitCode} to {{platform.name}}` } });
  if (response.status !== 201) throw new Error(`setup letter template: ${response.status} ${await response.text()}`);
  return 'takedown';
};

const matrix: Record<string, Entry | { public: true }> = {
  'GET /health': { public: true },
  'GET /problems/{code}': { public: true },
  'GET /.well-known/jwks.json': { public: true },
  'POST /v1/oauth/token': { public: true },
  'GET /v1/sign-in': { public: true },
  'GET /v1/me': {
    request: async (t) => ({ path: '/v1/me', secret: t.stationCodes[0] }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: null,
    otherStation: 'omitted',
    otherDistrict: 'omitted',
    otherUnit: 'omitted',
  },

  'GET /v1/units': {
    request: async (t) => ({ path: '/v1/units', secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.stationOfficer,
    ...unitScoped,
    otherUnit: 'omitted',
  },
  'POST /v1/units': {
    request: async (t) => ({ path: '/v1/units', body: { code: `${t.unitCode}${next()}`, name: 'New unit' }, secret: t.unitCode }),
    allowed: callers.platform,
    allowedStatus: 201,
    wrongRole: callers.unitAdmin,
    ...unitScoped,
    otherUnit: 'not_applicable',
  },
  'GET /v1/units/{unitCode}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}`, secret: t.unitCode }),
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.stationOfficer,
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/districts': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/districts`, secret: t.districtCodes[0] }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    otherStation: 'not_applicable',
    otherDistrict: 'omitted',
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/districts': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/districts`, body: { code: `${t.unitCode}-${next()}`, name: 'New district' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.districtSupervisor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PATCH /v1/units/{unitCode}/districts/{districtCode}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/districts/${t.districtCodes[0]}`, body: { name: 'Renamed' }, headers: { 'If-Match': '*' }, secret: t.districtCodes[0] }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.districtSupervisor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/stations': {
    request: async (t) => ({ path: '/v1/stations', secret: t.stationCodes[0] }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    otherStation: 'omitted',
    otherDistrict: 'omitted',
    otherUnit: 'omitted',
  },
  'POST /v1/units/{unitCode}/stations': {
    request: async (t) => ({
      path: `/v1/units/${t.unitCode}/stations`,
      body: { code: `${t.districtCodes[0]}-${next()}`, name: 'New station', districtCode: t.districtCodes[0] },
      secret: t.unitCode,
    }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.stationHouseOfficer,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PATCH /v1/units/{unitCode}/stations/{stationCode}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/stations/${t.stationCodes[0]}`, body: { name: 'Renamed' }, headers: { 'If-Match': '*' }, secret: t.stationCodes[0] }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.stationHouseOfficer,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/identity-providers': {
    request: async (t) => {
      await newProvider(t);
      return { path: `/v1/units/${t.unitCode}/identity-providers`, secret: 'idp.example' };
    },
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/identity-providers': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/identity-providers`, body: identityProvider(), secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PATCH /v1/units/{unitCode}/identity-providers/{providerId}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/identity-providers/${await newProvider(t)}`, body: { audience: 'another-audience' }, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/identity-providers/{providerId}/status': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/identity-providers/${await newProvider(t)}/status`, secret: 'idp.example' }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'DELETE /v1/units/{unitCode}/identity-providers/{providerId}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/identity-providers/${await newProvider(t)}`, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 204,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/clients': {
    request: async (t) => {
      await newClient(t);
      return { path: `/v1/units/${t.unitCode}/clients`, secret: t.unitCode };
    },
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/clients': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/clients`, body: { name: 'Dashboard', scopes: ['tenancy:read'] }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PATCH /v1/units/{unitCode}/clients/{clientId}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/clients/${await newClient(t)}`, body: { disabled: true }, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/clients/{clientId}/secret': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/clients/${await newClient(t)}/secret`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'DELETE /v1/units/{unitCode}/clients/{clientId}/secret/previous': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/clients/${await newClient(t)}/secret/previous`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/webhooks': {
    request: async (t) => {
      await newWebhook(t);
      return { path: `/v1/units/${t.unitCode}/webhooks`, secret: t.unitCode };
    },
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/webhooks': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks`, body: webhookBody, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/webhooks/{subscriptionId}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks/${await newWebhook(t)}`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PATCH /v1/units/{unitCode}/webhooks/{subscriptionId}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks/${await newWebhook(t)}`, body: { eventTypes: ['case.transferred'] }, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/webhooks/{subscriptionId}/secret/rotate': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks/${await newWebhook(t)}/secret/rotate`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/webhooks/{subscriptionId}/secret/previous/revoke': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks/${await newWebhook(t)}/secret/previous/revoke`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/webhooks/{subscriptionId}/disable': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks/${await newWebhook(t)}/disable`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/webhooks/{subscriptionId}/enable': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks/${await newWebhook(t)}/enable`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/webhooks/{subscriptionId}/deliveries': {
    request: async (t) => {
      const { subscriptionId } = await newDelivery(t);
      return { path: `/v1/units/${t.unitCode}/webhooks/${subscriptionId}/deliveries`, secret: t.unitCode };
    },
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/webhooks/{subscriptionId}/deliveries/{deliveryId}': {
    request: async (t) => {
      const { subscriptionId, deliveryId } = await newDelivery(t);
      return { path: `/v1/units/${t.unitCode}/webhooks/${subscriptionId}/deliveries/${deliveryId}`, secret: t.unitCode };
    },
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/webhooks/{subscriptionId}/replay': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/webhooks/${await newWebhook(t)}/replay`, body: { from: minutesAgo(60), to: minutesAgo(0) }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 202,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/audit': {
    request: async (t) => {
      await newClient(t);
      return { path: `/v1/units/${t.unitCode}/audit`, secret: 'client.created' };
    },
    ...auditReaders,
  },
  'GET /v1/units/{unitCode}/audit/verify': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/audit/verify`, secret: t.unitCode }),
    ...auditReaders,
  },
  'GET /v1/units/{unitCode}/audit/checkpoints': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/audit/checkpoints`, secret: (await newCheckpoint(t)).hash }),
    ...auditReaders,
  },
  'POST /v1/units/{unitCode}/audit/checkpoints/verify': {
    request: async (t) => {
      const kept = await newCheckpoint(t);
      return { path: `/v1/units/${t.unitCode}/audit/checkpoints/verify`, body: { checkpoint: kept.checkpoint }, secret: kept.hash };
    },
    ...auditReaders,
  },
  'POST /v1/cases': {
    request: async (t) => ({ path: '/v1/cases', body: intake({ stationCode: t.stationCodes[0] }), secret: t.unitCode }),
    allowed: callers.dutyOfficer,
    allowedStatus: 201,
    wrongRole: callers.districtSupervisor,
    alsoRefused: [callers.platform, callers.unitAdmin, callers.auditor, callers.clientWithoutScopes],
    otherStation: 'not_found',
    // Supervisors take no complaints (403, above): there is no district caller who could report one elsewhere.
    otherDistrict: 'not_applicable',
    otherUnit: 'not_found',
  },
  'GET /v1/cases': {
    request: async (t) => ({ path: '/v1/cases?holder=any', secret: await newCase(t) }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    otherStation: 'omitted',
    otherDistrict: 'omitted',
    otherUnit: 'omitted',
  },
  'GET /v1/cases/{caseId}': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}`, secret: t.unitCode }),
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'PATCH /v1/cases/{caseId}': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}`, body: { narrative: 'Corrected' }, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    // Supervisors read but do not edit intake (403 above); the other district's officer stands in.
    otherDistrict: 'not_applicable',
  },
  'POST /v1/cases/{caseId}/transitions': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/transitions`, body: { to: 'triaged' }, secret: t.unitCode }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'POST /v1/cases/{caseId}/transfer': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/transfer`, body: { toStationCode: t.stationCodes[3], reason: 'Paid above ₹1 lakh' }, secret: t.unitCode }),
    allowed: callers.stationHouseOfficer,
    allowedStatus: 200,
    wrongRole: callers.stationOfficer,
    alsoRefused: [callers.platform, callers.auditor, callers.dutyOfficer, callers.clientWithoutScopes],
    otherStationCaller: otherStationHouseOfficer,
    ...stationWork,
  },
  'PUT /v1/cases/{caseId}/assignee': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/assignee`, body: { subject: 'psi.patil', name: 'PSI A. Patil' }, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.stationHouseOfficer,
    allowedStatus: 200,
    wrongRole: callers.stationOfficer,
    alsoRefused: [callers.platform, callers.auditor, callers.dutyOfficer, callers.clientWithoutScopes],
    otherStationCaller: otherStationHouseOfficer,
    ...stationWork,
  },
  'POST /v1/cases/{caseId}/identifiers': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/identifiers`, body: { kind: 'email', value: 'extortion.ring@example.net' }, secret: t.unitCode }),
    allowed: callers.dutyOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'POST /v1/cases/{caseId}/payments': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/payments`, body: { amount: '2000', paidAt: minutesAgo(810), method: 'upi' }, secret: t.unitCode }),
    allowed: callers.stationOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'POST /v1/cases/{caseId}/safety-screen': {
    request: async (t) => ({
      path: `/v1/cases/${await newCase(t)}/safety-screen`,
      body: { riskLevel: 'medium', neverContactThroughFamily: true, consentToContact: true },
      secret: t.unitCode,
    }),
    allowed: callers.dutyOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'POST /v1/cases/{caseId}/references': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/references`, body: { kind: 'helpline_ticket', value: '1930-2026-000123' }, secret: t.unitCode }),
    allowed: callers.stationOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'POST /v1/cases/{caseId}/notes': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/notes`, body: { body: 'Victim counselled; 14416 number given.' }, secret: t.unitCode }),
    allowed: callers.stationOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'GET /v1/cases/{caseId}/timeline': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/timeline`, secret: t.unitCode }),
    allowed: callers.districtSupervisor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'POST /v1/cases/{caseId}/evidence': {
    request: async (t) => ({
      path: `/v1/cases/${await newCase(t)}/evidence`,
      body: { kind: 'chat_export', description: 'WhatsApp export', content: btoa('chat'), capturedAt: minutesAgo(870) },
      secret: t.unitCode,
    }),
    allowed: callers.stationOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'GET /v1/cases/{caseId}/evidence': {
    request: async (t) => {
      const caseId = await newCase(t);
      await newEvidence(t, caseId);
      return { path: `/v1/cases/${caseId}/evidence`, secret: t.unitCode };
    },
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'GET /v1/cases/{caseId}/evidence/{evidenceId}': {
    request: async (t) => {
      const caseId = await newCase(t);
      return { path: `/v1/cases/${caseId}/evidence/${await newEvidence(t, caseId)}`, secret: t.unitCode };
    },
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'POST /v1/cases/{caseId}/evidence/{evidenceId}/custody': {
    request: async (t) => {
      const caseId = await newCase(t);
      return { path: `/v1/cases/${caseId}/evidence/${await newEvidence(t, caseId)}/custody`, body: { kind: 'handed_over', to: { name: 'Malkhana in-charge' } }, secret: t.unitCode };
    },
    allowed: callers.stationOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'GET /v1/identifiers/{kind}/{value}/cases': {
    request: async (t) => {
      const caseId = await newCase(t);
      return { path: '/v1/identifiers/upi/quickcash@ybl/cases', secret: caseId };
    },
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    otherStation: 'omitted',
    otherDistrict: 'omitted',
    otherUnit: 'omitted',
  },
  'GET /v1/units/{unitCode}/routing-rules': {
    request: async (t) => {
      await newRule(t);
      return { path: `/v1/units/${t.unitCode}/routing-rules`, secret: 'Minors to cyber' };
    },
    allowed: callers.dutyOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/units/{unitCode}/routing-rules': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/routing-rules`, body: { name: 'Paid over 50k', priority: 5, minAmountPaid: '50000', targetStationCode: t.stationCodes[3] }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PATCH /v1/units/{unitCode}/routing-rules/{ruleId}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/routing-rules/${await newRule(t)}`, body: { active: false }, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'DELETE /v1/units/{unitCode}/routing-rules/{ruleId}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/routing-rules/${await newRule(t)}`, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 204,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },

  'GET /v1/sops': {
    request: async (t) => {
      await newOverlay(t);
      return { path: '/v1/sops?layer=unit', secret: `Overlay of ${t.unitCode}` };
    },
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    // A unit's overlay is every one of its stations' SOP.
    ...unitScoped,
    otherUnit: 'omitted',
  },
  'GET /v1/sops/{sopId}': {
    request: async (t) => ({ path: `/v1/sops/${await newOverlay(t)}`, secret: t.unitCode }),
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/sops': {
    request: async (t) => ({ path: '/v1/sops', body: { layer: 'unit', title: 'Pune additions', body: { steps: [], retire: [] } }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationOfficer, callers.districtSupervisor, callers.stationHouseOfficer],
    ...unitScoped,
    // The draft belongs to the caller's own unit: another unit's administrator drafts their own.
    otherUnit: 'not_applicable',
  },
  'PATCH /v1/sops/{sopId}': {
    request: async (t) => ({ path: `/v1/sops/${await newOverlay(t)}`, body: { title: 'Renamed' }, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/sops/{sopId}/validate': {
    request: async (t) => ({ path: `/v1/sops/${await newOverlay(t)}/validate`, secret: t.unitCode }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/sops/{sopId}/publish': {
    request: async (t) => ({ path: `/v1/sops/${await newOverlay(t)}/publish`, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/sops/{sopId}/diff': {
    request: async (t) => ({ path: `/v1/sops/${await newOverlay(t)}/diff?against=${await baseSopId(t)}`, secret: t.unitCode }),
    allowed: callers.districtSupervisor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/cases/{caseId}/sop': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/sop`, secret: t.unitCode }),
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'POST /v1/cases/{caseId}/sop/steps/{stepKey}': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/sop/steps/victim-safety`, body: { outcome: 'done' }, secret: t.unitCode }),
    allowed: callers.dutyOfficer,
    allowedStatus: 200,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    otherDistrict: 'not_applicable',
  },
  'POST /v1/cases/{caseId}/sop/migrate': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/sop/migrate`, secret: t.unitCode }),
    allowed: callers.stationHouseOfficer,
    allowedStatus: 204,
    wrongRole: callers.stationOfficer,
    alsoRefused: [callers.platform, callers.auditor, callers.dutyOfficer, callers.clientWithoutScopes],
    otherStationCaller: otherStationHouseOfficer,
    ...stationWork,
  },
  'GET /v1/stations/{stationCode}/due': {
    request: async (t) => ({ path: `/v1/stations/${t.stationCodes[0]}/due`, secret: await newCase(t) }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'GET /v1/districts/{districtCode}/due': {
    request: async (t) => ({ path: `/v1/districts/${t.districtCodes[0]}/due`, secret: await newCase(t) }),
    allowed: callers.districtSupervisor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    // A station officer may ask for their own district: they get their own station's steps only.
    otherStation: 'omitted',
    otherDistrict: 'not_found',
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/due': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/due`, secret: await newCase(t) }),
    allowed: callers.unitAdmin,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    otherStation: 'omitted',
    otherDistrict: 'omitted',
    otherUnit: 'not_found',
  },
  'GET /v1/events': {
    request: async (t) => ({ path: '/v1/events?limit=500', secret: await newCase(t) }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    // Row-level security scopes the feed: events of another station, district or unit are never in it.
    otherStation: 'omitted',
    otherDistrict: 'omitted',
    otherUnit: 'omitted',
  },
  'GET /v1/legal-provisions': {
    request: async () => ({ path: '/v1/legal-provisions', secret: 'no tenant data' }),
    allowed: callers.stationOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    // Shared reference data: the same for every tenant.
    ...unitScoped,
    otherUnit: 'not_applicable',
  },

  'GET /v1/units/{unitCode}/platforms': {
    request: async (t) => {
      await newUnitPlatform(t);
      return { path: `/v1/units/${t.unitCode}/platforms`, secret: `Local bank of ${t.unitCode}` };
    },
    allowed: callers.dutyOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    // One directory per unit: every station and district of it reads the same.
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/platforms/{key}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/platforms/${await newUnitPlatform(t)}`, secret: t.unitCode }),
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PUT /v1/units/{unitCode}/platforms/{key}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/platforms/instagram`, body: { name: 'Instagram (Meta), state desk', category: 'social' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'DELETE /v1/units/{unitCode}/platforms/{key}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/platforms/${await newUnitPlatform(t)}`, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 204,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'POST /v1/cases/{caseId}/requests': {
    request: async (t) => ({ path: `/v1/cases/${await newCase(t)}/requests`, body: { platformKey: 'instagram', kind: 'takedown' }, secret: t.unitCode }),
    allowed: callers.stationOfficer,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.districtSupervisor, callers.clientWithoutScopes],
    ...stationWork,
    // Supervisors approve but do not draft (403 above); the other district's officer stands in.
    otherDistrict: 'not_applicable',
  },
  'GET /v1/cases/{caseId}/requests': {
    request: async (t) => ({ path: `/v1/cases/${(await newPlatformRequest(t)).caseId}/requests`, secret: t.unitCode }),
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'GET /v1/cases/{caseId}/requests/{requestId}': {
    request: async (t) => {
      const { caseId, requestId } = await newPlatformRequest(t);
      return { path: `/v1/cases/${caseId}/requests/${requestId}`, secret: t.unitCode };
    },
    allowed: callers.districtSupervisor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...stationWork,
  },
  'POST /v1/cases/{caseId}/requests/{requestId}/transitions': {
    // Approving a takedown is a police order: the station house officer's (cases:supervise), not the investigating officer's.
    request: async (t) => {
      const { caseId, requestId } = await newPlatformRequest(t, 'takedown');
      return { path: `/v1/cases/${caseId}/requests/${requestId}/transitions`, body: { to: 'approved' }, secret: t.unitCode };
    },
    allowed: callers.stationHouseOfficer,
    allowedStatus: 200,
    wrongRole: callers.stationOfficer,
    alsoRefused: [callers.platform, callers.auditor, callers.dutyOfficer, callers.clientWithoutScopes],
    otherStationCaller: otherStationHouseOfficer,
    ...stationWork,
  },
  'GET /v1/units/{unitCode}/metrics/sop': {
    request: async (t) => {
      await newCase(t);
      return { path: `/v1/units/${t.unitCode}/metrics/sop`, secret: t.unitCode };
    },
    allowed: callers.auditor,
    allowedStatus: 200,
    // Read for a unit or a district: a station officer has cases:read but sees only part of them.
    wrongRole: callers.stationOfficer,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.clientWithoutScopes],
    ...unitScoped,
    otherUnit: 'not_found',
  },

  'GET /v1/units/{unitCode}/letter-templates': {
    request: async (t) => {
      await newUnitLetterTemplate(t);
      return { path: `/v1/units/${t.unitCode}/letter-templates`, secret: `Letter of ${t.unitCode}` };
    },
    allowed: callers.dutyOfficer,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    // One set of letters per unit: every station and district of it reads the same.
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'GET /v1/units/{unitCode}/letter-templates/{kind}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/letter-templates/${await newUnitLetterTemplate(t)}`, secret: `Letter of ${t.unitCode}` }),
    allowed: callers.auditor,
    allowedStatus: 200,
    wrongRole: callers.clientWithoutScopes,
    alsoRefused: [callers.platform],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'PUT /v1/units/{unitCode}/letter-templates/{kind}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/letter-templates/takedown`, body: { body: 'To {{platform.name}}: remove the content of case {{case.reference}}.' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 201,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
  'DELETE /v1/units/{unitCode}/letter-templates/{kind}': {
    request: async (t) => ({ path: `/v1/units/${t.unitCode}/letter-templates/${await newUnitLetterTemplate(t)}`, headers: { 'If-Match': '*' }, secret: t.unitCode }),
    allowed: callers.unitAdmin,
    allowedStatus: 204,
    wrongRole: callers.auditor,
    alsoRefused: [callers.platform, callers.stationHouseOfficer, callers.districtSupervisor],
    ...unitScoped,
    otherUnit: 'not_found',
  },
};

const methodOf = (operation: string) => operation.split(' ')[0]!;

const documented = Object.entries<Record<string, unknown>>(parse(contract).paths).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
);

type ContractOperation = { parameters?: { name: string; in: string; required?: boolean }[] };

const operationsInContract = Object.fromEntries(
  Object.entries<Record<string, ContractOperation>>(parse(contract).paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation]),
  ),
);

/** undefined: the operation takes no If-Match; else whether the contract says it must be sent. */
function ifMatchRequired(operation: string): boolean | undefined {
  const parameter = operationsInContract[operation]?.parameters?.find((candidate) => candidate.in === 'header' && candidate.name === 'if-match');
  return parameter && (parameter.required ?? false);
}

const pathOf = (operation: string) => operation.slice(operation.indexOf(' ') + 1);

function withoutIfMatch(request: Request): Request {
  return { ...request, headers: Object.fromEntries(Object.entries(request.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'if-match')) };
}

async function send(operation: string, request: Request, token?: string) {
  return api(request.path, { method: methodOf(operation), token, body: request.body, headers: request.headers });
}

async function expectIsolated(operation: string, request: Request, token: string, isolation: Isolation) {
  const response = await send(operation, request, token);
  const text = await response.text();
  if (isolation === 'not_found') {
    expect(response.status, `${operation}: ${text}`).toBe(404);
    expect(JSON.parse(text).code).toBe('not_found');
  } else {
    expect(response.status, `${operation}: ${text}`).toBe(200);
    expect(text).not.toContain(request.secret);
  }
}

describe('the tenancy matrix', () => {
  it('has an entry for every operation in openapi.yaml, and none for operations that do not exist', () => {
    expect(documented.filter((operation) => !(operation in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((operation) => !documented.includes(operation))).toEqual([]);
  });

  it('sends If-Match on every operation whose contract requires it, so the 428 check below covers them all', async () => {
    const required = documented.filter((operation) => ifMatchRequired(operation));
    expect(required.length).toBeGreaterThanOrEqual(13);
    const tenant = await createTestTenant();
    for (const operation of required) {
      const entry = matrix[operation] as Entry;
      expect(Object.keys((await entry.request(tenant)).headers ?? {}).map((name) => name.toLowerCase()), operation).toContain('if-match');
    }
  });

  const guarded = Object.entries(matrix).filter((entry): entry is [string, Entry] => !entry[1].public);

  describe.each(guarded)('%s', (operation, entry) => {
    /**
     * One tenant and one object for every refusal of this operation: a refused request changes
     * nothing, so they share what they are refused (only the permitted call gets its own).
     */
    let refusalFixture: Promise<{ tenant: TestTenant; request: Request }> | undefined;
    const refused = () =>
      (refusalFixture ??= (async () => {
        const tenant = await createTestTenant();
        return { tenant, request: await entry.request(tenant) };
      })());

    it('refuses a request without a token, or with a bad one (401)', async () => {
      const { tenant, request } = await refused();
      const anonymous = await send(operation, request);
      expect(anonymous.status).toBe(401);
      expectDeclaredHeaders(methodOf(operation), pathOf(operation), 401, anonymous);
      expect((await send(operation, request, 'eyJhbGciOiJub25lIn0.e30.')).status).toBe(401);
      const expired = await signToken({ roles: ['unit_admin'], unit: tenant.unitCode }, { expiresAt: Math.floor(Date.now() / 1000) - 3600, issuedAt: Math.floor(Date.now() / 1000) - 7200 });
      expect((await send(operation, request, expired)).status).toBe(401);
    });

    it(`serves the permitted caller (${entry.allowedStatus})`, async () => {
      const tenant = await createTestTenant();
      const response = await send(operation, await entry.request(tenant), await entry.allowed(tenant));
      expect(response.status, await response.clone().text()).toBe(entry.allowedStatus);
      expectDeclaredHeaders(methodOf(operation), pathOf(operation), entry.allowedStatus, response);
    });

    it.skipIf(ifMatchRequired(operation) === undefined)('answers 428 without If-Match exactly where the contract requires it', async () => {
      const tenant = await createTestTenant();
      const request = await entry.request(tenant);
      const response = await send(operation, withoutIfMatch(request), await entry.allowed(tenant));
      const text = await response.clone().text();
      if (ifMatchRequired(operation)) {
        expect(response.status, text).toBe(428);
        expect(JSON.parse(text).code).toBe('precondition_required');
        expectDeclaredHeaders(methodOf(operation), pathOf(operation), 428, response);
      } else {
        expect(response.status, text).not.toBe(428);
      }
    });

    it.skipIf(entry.wrongRole === null)('refuses a caller of the tenant without the permission (403)', async () => {
      const { tenant, request } = await refused();
      const response = await send(operation, request, await entry.wrongRole!(tenant));
      expect(response.status).toBe(403);
      expectDeclaredHeaders(methodOf(operation), pathOf(operation), 403, response);
      expect(((await response.json()) as { code: string }).code).toBe('forbidden');
    });

    it.skipIf(!entry.alsoRefused)('refuses the other roles without the permission (403)', async () => {
      const { tenant, request } = await refused();
      for (const caller of entry.alsoRefused ?? []) {
        const response = await send(operation, request, await caller(tenant));
        expect(response.status, await response.clone().text()).toBe(403);
      }
    });

    it.skipIf(entry.otherStation === 'not_applicable')('isolates another station', async () => {
      const { tenant, request } = await refused();
      await expectIsolated(operation, request, await (entry.otherStationCaller ?? elsewhere.otherStation)(tenant), entry.otherStation);
    });

    it.skipIf(entry.otherDistrict === 'not_applicable')('isolates another district', async () => {
      const { tenant, request } = await refused();
      await expectIsolated(operation, request, await elsewhere.otherDistrict(tenant), entry.otherDistrict);
    });

    it.skipIf(entry.otherUnit === 'not_applicable')('isolates another unit: the same role there gets nothing', async () => {
      const [{ request }, other] = await Promise.all([refused(), createTestTenant()]);
      await expectIsolated(operation, request, await entry.allowed(other), entry.otherUnit);
    });
  });
});
