import { describe, expect, it } from 'vitest';
import { createRoutingRuleRoute } from '../../../src/routes/routing-rules/create-routing-rule.js';
import { listRoutingRulesRoute } from '../../../src/routes/routing-rules/list-routing-rules.js';
import { routingRuleSchema } from '../../../src/routes/routing-rules/routing-rule-schema.js';
import { updateRoutingRuleRoute } from '../../../src/routes/routing-rules/update-routing-rule.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { intake, reportTestCase } from '../../support/cases.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';

const rulesPath = (unitCode: string) => `/v1/units/${unitCode}/routing-rules`;

function createRule(unitCode: string, token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(rulesPath(unitCode), { method: 'POST', token, body, headers });
}

function patchRule(unitCode: string, ruleId: string, token: string, body: Record<string, unknown>, ifMatch?: string) {
  return api(`${rulesPath(unitCode)}/${ruleId}`, { method: 'PATCH', token, body, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
}

function deleteRule(unitCode: string, ruleId: string, token: string, ifMatch?: string) {
  return api(`${rulesPath(unitCode)}/${ruleId}`, { method: 'DELETE', token, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
}

async function listRules(unitCode: string, token: string) {
  return (await parseResponse(listRoutingRulesRoute, 200, await api(rulesPath(unitCode), { token }))).data;
}

/** A fresh unit, its administrator, and one rule: minor victims go to the cyber crime station. */
async function unitWithRule(overrides: Record<string, unknown> = {}) {
  const tenant = await createTestTenant();
  const admin = await tokenFor.unit(tenant.unitCode);
  const body = { name: 'Minor victim → Cyber PS', priority: 10, victimIsMinor: true, targetStationCode: tenant.stationCodes[3], ...overrides };
  const response = await createRule(tenant.unitCode, admin, body);
  expect(response.headers.get('etag')).toBe('"v1"');
  const rule = await parseResponse(createRoutingRuleRoute, 201, response);
  return { tenant, admin, rule };
}

// Cases that do or do not match the rules below. The intake's default victim is 17, paid ₹5,000, on Instagram and WhatsApp.
const adultVictim = { victim: { name: 'Anil Kulkarni', age: 34, gender: 'male' } };
const onTelegramOnly = { incident: { ...intake().incident, platforms: ['telegram'] } };

/** Where a newly reported case ends up at intake. */
async function routedTo(tenant: TestTenant, overrides: Record<string, unknown> = {}) {
  const reported = await reportTestCase(tenant, overrides);
  return { station: reported.station.code, status: reported.status, routedBy: reported.routedBy };
}

describe('routing rules: /v1/units/{unitCode}/routing-rules', () => {
  it('creates a rule with the conditions given and the rest left open, and lists it to anyone in the unit with cases:read', async () => {
    const { tenant, admin, rule } = await unitWithRule({ minAmountPaid: '1000', platformsAny: ['Instagram'] });
    expect(rule).toEqual({
      id: expect.any(String),
      name: 'Minor victim → Cyber PS',
      priority: 10,
      active: true,
      minAmountPaid: '1000.00',
      minAmountDemanded: null,
      victimIsMinor: true,
      imagesCirculated: null,
      platformsAny: ['instagram'],
      targetStationCode: tenant.stationCodes[3],
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    for (const token of [
      admin,
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.auditor(tenant.unitCode),
    ]) {
      expect(await listRules(tenant.unitCode, token)).toEqual([rule]);
    }
    const created = (await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'routing_rule.created');
    expect(created.map((event) => event.target)).toEqual([{ type: 'routing_rule', id: rule.id }]);
  });

  it('answers a create or a change with the published fields only, never an internal id', async () => {
    const tenant = await createTestTenant();
    const admin = await tokenFor.unit(tenant.unitCode);
    const published = Object.keys(routingRuleSchema.shape);
    const unpublished = (body: object) => Object.keys(body).filter((field) => !published.includes(field));
    const created = await createRule(tenant.unitCode, admin, { name: 'Images circulated → Cyber PS', priority: 1, imagesCirculated: true, targetStationCode: tenant.stationCodes[3] });
    const rule = (await created.json()) as { id: string };
    expect(created.status).toBe(201);
    const changed = await patchRule(tenant.unitCode, rule.id, admin, { priority: 2 }, '"v1"');
    expect(changed.status).toBe(200);
    const listed = (await (await api(rulesPath(tenant.unitCode), { token: admin })).json()) as { data: object[] };
    expect(listed.data).toHaveLength(1);
    expect({ created: unpublished(rule), changed: unpublished(await changed.json()), listed: unpublished(listed.data[0]!) }).toEqual({ created: [], changed: [], listed: [] });
  });

  it("answers another unit's callers 404 on every operation on the unit's rules, and changes nothing", async () => {
    const { tenant, admin, rule } = await unitWithRule();
    const other = await createTestTenant();
    const outsider = await tokenFor.unit(other.unitCode);
    await expectProblem(await api(rulesPath(tenant.unitCode), { token: outsider }), 404, 'not_found');
    await expectProblem(await api(rulesPath(tenant.unitCode), { token: await tokenFor.station(other.unitCode, other.stationCodes[0]) }), 404, 'not_found');
    await expectProblem(await createRule(tenant.unitCode, outsider, { name: 'Hijack', priority: 1, victimIsMinor: true, targetStationCode: tenant.stationCodes[0] }), 404, 'not_found');
    await expectProblem(await patchRule(tenant.unitCode, rule.id, outsider, { active: false }, '*'), 404, 'not_found');
    await expectProblem(await deleteRule(tenant.unitCode, rule.id, outsider, '*'), 404, 'not_found');
    // The rule named under the outsider's own unit is not found either.
    await expectProblem(await patchRule(other.unitCode, rule.id, outsider, { active: false }, '*'), 404, 'not_found');
    await expectProblem(await deleteRule(other.unitCode, rule.id, outsider, '*'), 404, 'not_found');
    expect(await listRules(tenant.unitCode, admin)).toEqual([rule]);
    expect(await listRules(other.unitCode, outsider)).toEqual([]);
  });

  it.each([
    ['a station house officer', (tenant: TestTenant) => tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer')],
    ['a district supervisor', (tenant: TestTenant) => tokenFor.district(tenant.unitCode, tenant.districtCodes[0])],
    ['an auditor', (tenant: TestTenant) => tokenFor.auditor(tenant.unitCode)],
  ])('forbids %s to create, change or remove rules (403)', async (_caller, tokenOf) => {
    const { tenant, admin, rule } = await unitWithRule();
    const token = await tokenOf(tenant);
    await expectProblem(await createRule(tenant.unitCode, token, { name: 'Mine', priority: 1, imagesCirculated: true, targetStationCode: tenant.stationCodes[0] }), 403, 'forbidden');
    await expectProblem(await patchRule(tenant.unitCode, rule.id, token, { active: false }, '"v1"'), 403, 'forbidden');
    await expectProblem(await deleteRule(tenant.unitCode, rule.id, token, '"v1"'), 403, 'forbidden');
    expect(await listRules(tenant.unitCode, admin)).toEqual([rule]);
  });

  it('refuses a rule without a condition (400) and a target station outside the unit (404)', async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const admin = await tokenFor.unit(tenant.unitCode);
    const base = { name: 'Everything → Cyber PS', priority: 1, targetStationCode: tenant.stationCodes[3] };
    const noCondition = await expectProblem(await createRule(tenant.unitCode, admin, base), 400, 'validation_failed');
    expect(noCondition.errors?.map((error) => error.pointer)).toEqual(['/body/minAmountPaid']);
    await expectProblem(await createRule(tenant.unitCode, admin, { ...base, victimIsMinor: null, platformsAny: null }), 400, 'validation_failed');
    const emptyPlatforms = await expectProblem(await createRule(tenant.unitCode, admin, { ...base, platformsAny: [] }), 400, 'validation_failed');
    expect(emptyPlatforms.errors?.map((error) => error.pointer)).toContain('/body/platformsAny');

    await expectProblem(await createRule(tenant.unitCode, admin, { ...base, victimIsMinor: true, targetStationCode: other.stationCodes[3] }), 404, 'not_found');
    await expectProblem(await createRule(tenant.unitCode, admin, { ...base, victimIsMinor: true, targetStationCode: `${tenant.unitCode}-NOWHERE` }), 404, 'not_found');
    expect(await listRules(tenant.unitCode, admin)).toEqual([]);
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[0], status: 'reported', routedBy: null });
  });

  it('sends a new case where the first matching rule by priority says, and leaves a case no rule matches where it was reported', async () => {
    const { tenant, admin, rule: minorRule } = await unitWithRule({ name: 'Minor victim → Cyber PS', priority: 20 });
    const instagramRule = await parseResponse(
      createRoutingRuleRoute,
      201,
      await createRule(tenant.unitCode, admin, { name: 'Instagram, paid ₹5,000+ → South A', priority: 10, platformsAny: ['instagram'], minAmountPaid: '5000', targetStationCode: tenant.stationCodes[2] }),
    );
    expect((await listRules(tenant.unitCode, admin)).map((rule) => rule.id)).toEqual([instagramRule.id, minorRule.id]);

    // Both match the default intake (a minor, on Instagram, paid ₹5,000): the lower priority number wins.
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[2], status: 'transferred', routedBy: instagramRule.name });
    // Only the minor rule matches when nothing was paid.
    expect(await routedTo(tenant, { payments: [] })).toEqual({ station: tenant.stationCodes[3], status: 'transferred', routedBy: minorRule.name });
    // Only the Instagram rule matches an adult victim.
    expect(await routedTo(tenant, adultVictim)).toEqual({ station: tenant.stationCodes[2], status: 'transferred', routedBy: instagramRule.name });
    // Neither matches an adult on Telegram.
    expect(await routedTo(tenant, { ...adultVictim, ...onTelegramOnly })).toEqual({ station: tenant.stationCodes[0], status: 'reported', routedBy: null });

    // Reordering the rules changes which one applies.
    const demoted = await parseResponse(updateRoutingRuleRoute, 200, await patchRule(tenant.unitCode, instagramRule.id, admin, { priority: 30 }, '"v1"'));
    expect(demoted).toMatchObject({ priority: 30, version: 2 });
    expect((await listRules(tenant.unitCode, admin)).map((rule) => rule.id)).toEqual([minorRule.id, instagramRule.id]);
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[3], status: 'transferred', routedBy: minorRule.name });
  });

  it('records a routed case as transferred by the rule on its timeline, and lets the receiving station take it up', async () => {
    const { tenant, rule } = await unitWithRule();
    const reported = await reportTestCase(tenant);
    expect(reported).toMatchObject({ status: 'transferred', station: { code: tenant.stationCodes[3] }, reportedStation: { code: tenant.stationCodes[0] }, routedBy: rule.name });
    const events = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((event) => event.target.id === reported.id);
    // The checklist is built at the reporting station before the rule moves the case on.
    expect(events.map((event) => event.action)).toEqual(['case.reported', 'case.checklist_changed', 'case.transferred']);
    expect(events[1]!.changes).toMatchObject({ 'victim-safety': 'added', 'block-reuploads-minor': 'added' });
    expect(events[2]!.changes).toEqual({ from: tenant.stationCodes[0], to: tenant.stationCodes[3], routingRule: rule.name });
    const cyberOfficer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[3]);
    const taken = await api(`/v1/cases/${reported.id}/transitions`, { method: 'POST', token: cyberOfficer, body: { to: 'triaged' } });
    expect(taken.status).toBe(200);
  });

  it('does not apply a rule switched off (PATCH active:false with If-Match), and applies it again once switched on', async () => {
    const { tenant, admin, rule } = await unitWithRule();
    const off = await patchRule(tenant.unitCode, rule.id, admin, { active: false }, '"v1"');
    expect(off.headers.get('etag')).toBe('"v2"');
    expect(await parseResponse(updateRoutingRuleRoute, 200, off)).toEqual({ ...rule, active: false, version: 2, updatedAt: expect.any(String) });
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[0], status: 'reported', routedBy: null });

    await parseResponse(updateRoutingRuleRoute, 200, await patchRule(tenant.unitCode, rule.id, admin, { active: true }, '"v2"'));
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[3], status: 'transferred', routedBy: rule.name });
  });

  it('changes a condition and the target, drops a condition with null, and refuses an unknown target station (422)', async () => {
    const { tenant, admin, rule } = await unitWithRule({ imagesCirculated: false });
    const retargeted = await parseResponse(
      updateRoutingRuleRoute,
      200,
      await patchRule(tenant.unitCode, rule.id, admin, { targetStationCode: tenant.stationCodes[1], imagesCirculated: null, minAmountDemanded: '20000' }, '"v1"'),
    );
    expect(retargeted).toMatchObject({ targetStationCode: tenant.stationCodes[1], imagesCirculated: null, minAmountDemanded: '20000.00', victimIsMinor: true, version: 2 });
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[1], status: 'transferred', routedBy: rule.name });
    expect(await routedTo(tenant, { incident: { ...intake().incident, amountDemanded: '10000' } })).toMatchObject({ station: tenant.stationCodes[0], status: 'reported' });

    await expectProblem(await patchRule(tenant.unitCode, rule.id, admin, { targetStationCode: `${tenant.unitCode}-NOWHERE` }, '"v2"'), 422, 'invalid_reference');
    const other = await createTestTenant();
    await expectProblem(await patchRule(tenant.unitCode, rule.id, admin, { targetStationCode: other.stationCodes[3] }, '"v2"'), 422, 'invalid_reference');
    await expectProblem(await patchRule(tenant.unitCode, rule.id, admin, {}, '"v2"'), 400, 'validation_failed');
    expect(await listRules(tenant.unitCode, admin)).toEqual([retargeted]);
  });

  it('refuses a change that would drop the last condition, leaving a rule that moves every case', async () => {
    const { tenant, admin, rule } = await unitWithRule();
    const response = await patchRule(tenant.unitCode, rule.id, admin, { victimIsMinor: null }, '"v1"');
    expect(response.status, await response.clone().text()).toBeOneOf([400, 422]);
    expect(await listRules(tenant.unitCode, admin)).toEqual([rule]);
    expect(await routedTo(tenant, adultVictim)).toEqual({ station: tenant.stationCodes[0], status: 'reported', routedBy: null });
  });

  it('keeps a case at the station that reported it when the first matching rule names that station, rather than trying the next rule', async () => {
    const { tenant, admin, rule: toCyber } = await unitWithRule({ name: 'Paid ₹5,000+ → Cyber PS', priority: 10, victimIsMinor: null, minAmountPaid: '5000' });
    await parseResponse(
      createRoutingRuleRoute,
      201,
      await createRule(tenant.unitCode, admin, { name: 'Instagram → South A', priority: 20, platformsAny: ['instagram'], targetStationCode: tenant.stationCodes[2] }),
    );
    // Reported elsewhere, the first rule applies.
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[3], status: 'transferred', routedBy: toCyber.name });
    // Reported at the cyber station itself, the first rule says it is where it belongs.
    const atCyber = await reportTestCase(tenant, {}, await tokenFor.station(tenant.unitCode, tenant.stationCodes[3], 'duty_officer'));
    expect({ station: atCyber.station.code, status: atCyber.status, routedBy: atCyber.routedBy }).toEqual({ station: tenant.stationCodes[3], status: 'reported', routedBy: null });
  });

  it('removes a rule with If-Match (204), after which it no longer applies', async () => {
    const { tenant, admin, rule } = await unitWithRule();
    expect(await routedTo(tenant)).toMatchObject({ station: tenant.stationCodes[3], routedBy: rule.name });
    const removed = await deleteRule(tenant.unitCode, rule.id, admin, '"v1"');
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
    expect(await listRules(tenant.unitCode, admin)).toEqual([]);
    expect(await routedTo(tenant)).toEqual({ station: tenant.stationCodes[0], status: 'reported', routedBy: null });
    await expectProblem(await deleteRule(tenant.unitCode, rule.id, admin, '*'), 404, 'not_found');
    await expectProblem(await patchRule(tenant.unitCode, rule.id, admin, { active: true }, '*'), 404, 'not_found');
    const deleted = (await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'routing_rule.deleted');
    expect(deleted.map((event) => event.target.id)).toEqual([rule.id]);
  });

  it('requires If-Match to change or remove a rule (428) and refuses a stale one (412)', async () => {
    const { tenant, admin, rule } = await unitWithRule();
    await expectProblem(await patchRule(tenant.unitCode, rule.id, admin, { name: 'Renamed' }), 428, 'precondition_required');
    await expectProblem(await deleteRule(tenant.unitCode, rule.id, admin), 428, 'precondition_required');
    const renamed = await parseResponse(updateRoutingRuleRoute, 200, await patchRule(tenant.unitCode, rule.id, admin, { name: 'Renamed' }, '"v1"'));
    expect(renamed).toMatchObject({ name: 'Renamed', version: 2 });
    await expectProblem(await patchRule(tenant.unitCode, rule.id, admin, { name: 'Stale' }, '"v1"'), 412, 'precondition_failed');
    await expectProblem(await deleteRule(tenant.unitCode, rule.id, admin, '"v1"'), 412, 'precondition_failed');
    await expectProblem(await patchRule(tenant.unitCode, rule.id, admin, { name: 'Bad' }, 'v2'), 400, 'validation_failed');
    expect(await listRules(tenant.unitCode, admin)).toEqual([renamed]);
    await expectProblem(await patchRule(tenant.unitCode, crypto.randomUUID(), admin, { name: 'Ghost' }, '*'), 404, 'not_found');
  });

  it('replays a retried create with the same Idempotency-Key, creating one rule', async () => {
    const tenant = await createTestTenant();
    const admin = await tokenFor.unit(tenant.unitCode);
    const body = { name: 'Images circulated → Cyber PS', priority: 5, imagesCirculated: true, targetStationCode: tenant.stationCodes[3] };
    const key = crypto.randomUUID();
    const first = await parseResponse(createRoutingRuleRoute, 201, await createRule(tenant.unitCode, admin, body, { 'Idempotency-Key': key }));
    const retry = await parseResponse(createRoutingRuleRoute, 201, await createRule(tenant.unitCode, admin, body, { 'Idempotency-Key': key }));
    expect(retry).toEqual(first);
    expect(await listRules(tenant.unitCode, admin)).toEqual([first]);
    await expectProblem(await createRule(tenant.unitCode, admin, { ...body, priority: 6 }, { 'Idempotency-Key': key }), 422, 'idempotency_key_reused');
  });
});
