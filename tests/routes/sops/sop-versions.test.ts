import { describe, expect, it } from 'vitest';
import { listLegalProvisionsRoute } from '../../../src/routes/legal-provisions/list-legal-provisions.js';
import { createSopDraftRoute } from '../../../src/routes/sops/create-sop-draft.js';
import { diffSopsRoute } from '../../../src/routes/sops/diff-sops.js';
import { getSopRoute } from '../../../src/routes/sops/get-sop.js';
import { listSopsRoute } from '../../../src/routes/sops/list-sops.js';
import { publishSopRoute } from '../../../src/routes/sops/publish-sop.js';
import { updateSopDraftRoute } from '../../../src/routes/sops/update-sop-draft.js';
import { validateSopRoute } from '../../../src/routes/sops/validate-sop.js';
import { validateSop } from '../../../src/sop/validate-sop.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { briefBeatOfficer, informCyberCell, MARATHI_TITLE, overlayBody } from '../../support/sop.js';
import { tokenFor } from '../../support/tokens.js';


const unitAdmin = (tenant: TestTenant) => tokenFor.unit(tenant.unitCode);
const stationHouseOfficer = (tenant: TestTenant, station = 0) => tokenFor.station(tenant.unitCode, tenant.stationCodes[station]!, 'station_house_officer');

const postDraft = (token: string, body: unknown) => api('/v1/sops', { method: 'POST', token, body });
const validate = (sopId: string, token: string) => api(`/v1/sops/${sopId}/validate`, { method: 'POST', token });
const publish = (sopId: string, token: string, ifMatch?: string) =>
  api(`/v1/sops/${sopId}/publish`, { method: 'POST', token, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
const patchSop = (sopId: string, token: string, body: unknown, ifMatch?: string) =>
  api(`/v1/sops/${sopId}`, { method: 'PATCH', token, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch }, body });

async function draftOverlay(tenant: TestTenant, body: unknown = overlayBody, title = 'Maharashtra overlay: Marathi titles') {
  return parseResponse(createSopDraftRoute, 201, await postDraft(await unitAdmin(tenant), { layer: 'unit', title, notes: 'Circular 12/2026', body }));
}

async function readSop(sopId: string, token: string) {
  const response = await api(`/v1/sops/${sopId}`, { token });
  const etag = response.headers.get('etag');
  return { body: await parseResponse(getSopRoute, 200, response), etag };
}

async function listSops(token: string, query = '') {
  return (await parseResponse(listSopsRoute, 200, await api(`/v1/sops${query}`, { token }))).data;
}

/** The shipped base, as anyone sees it: its version and the steps it composes to. */
async function shippedBase(token: string) {
  const bases = await listSops(token, '?layer=base&status=published');
  expect(bases.length).toBeGreaterThan(0);
  const newest = bases.reduce((best, version) => ((version.number ?? 0) > (best.number ?? 0) ? version : best));
  return (await readSop(newest.id, token)).body;
}

const stepOf = (steps: Array<Record<string, unknown>>, key: string) => steps.find((step) => step.key === key);
const keysOf = (steps: Array<Record<string, unknown>>) => steps.map((step) => step.key);

describe('the shipped base SOP', () => {
  it('is readable by every level of a unit, published as number 2 (the latest base), and validates clean', async () => {
    const tenant = await createTestTenant();
    const base = await shippedBase(await unitAdmin(tenant));
    expect(base).toMatchObject({ layer: 'base', unitCode: null, stationCode: null, status: 'published', number: 2 });
    expect(base.resolvedSteps.length).toBe(21);
    expect(keysOf(base.resolvedSteps)).toEqual(expect.arrayContaining(['victim-safety', 'preserve-evidence', 'report-1930', 'action-taken-report']));

    for (const token of [await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]!, 'duty_officer'), await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]), await tokenFor.auditor(tenant.unitCode)]) {
      expect((await listSops(token, '?layer=base')).map((version) => version.id)).toContain(base.id);
    }

    const validation = await parseResponse(validateSopRoute, 200, await validate(base.id, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer')));
    expect(validation).toEqual({ valid: true, steps: 21 });

    const provisions = await parseResponse(listLegalProvisionsRoute, 200, await api('/v1/legal-provisions', { token: await unitAdmin(tenant) }));
    const known = new Set(provisions.data.map((provision) => provision.code));
    expect(validateSop(base.resolvedSteps.map((step) => ({ key: step.key as string, step })), known)).toEqual([]);
  });

  it('ships with the product: the platform administrator cannot draft, and nobody edits or republishes it', async () => {
    const tenant = await createTestTenant();
    await expectProblem(await postDraft(await tokenFor.platform(), { layer: 'unit', title: 'Platform overlay', body: overlayBody }), 403, 'forbidden');
    const base = await shippedBase(await unitAdmin(tenant));
    await expectProblem(await patchSop(base.id, await unitAdmin(tenant), { title: 'Ours now' }, '*'), 409, 'sop_published');
    await expectProblem(await publish(base.id, await unitAdmin(tenant)), 409, 'sop_published');
    expect((await shippedBase(await unitAdmin(tenant))).title).toBe(base.title);
  });
});

describe('a unit overlay', () => {
  it('is drafted by the unit administrator as an unnumbered draft', async () => {
    const tenant = await createTestTenant();
    const response = await postDraft(await unitAdmin(tenant), { layer: 'unit', title: 'Maharashtra overlay: Marathi titles', notes: 'Circular 12/2026', body: overlayBody });
    expect(response.headers.get('etag')).toBe('"v1"');
    const draft = await parseResponse(createSopDraftRoute, 201, response);
    expect(draft).toMatchObject({
      layer: 'unit',
      unitCode: tenant.unitCode,
      stationCode: null,
      status: 'draft',
      number: null,
      title: 'Maharashtra overlay: Marathi titles',
      notes: 'Circular 12/2026',
      createdBy: 'officer-1',
      publishedAt: null,
      publishedBy: null,
      version: 1,
    });
    expect(draft.body.retire).toEqual(['action-taken-report']);
    const read = await readSop(draft.id, await unitAdmin(tenant));
    expect(read.etag).toBe('"v1"');
    expect(read.body).toMatchObject({ id: draft.id, status: 'draft', number: null });
    expect((await listSops(await unitAdmin(tenant), '?layer=unit&status=draft')).map((version) => version.id)).toEqual([draft.id]);
  });

  it('composes onto the base: named fields replace the base step\'s, retired steps go, new steps come last', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const base = await shippedBase(token);
    const draft = await draftOverlay(tenant);

    const { body } = await readSop(draft.id, token);
    const baseKeys = keysOf(base.resolvedSteps);
    expect(keysOf(body.resolvedSteps)).toEqual([...baseKeys.filter((key) => key !== 'action-taken-report'), 'inform-cyber-cell']);
    expect(stepOf(body.resolvedSteps, 'inform-cyber-cell')).toEqual(informCyberCell);
    expect(stepOf(body.resolvedSteps, 'preserve-evidence')).toEqual(stepOf(base.resolvedSteps, 'preserve-evidence'));
    // The fields the overlay does not name (its escalation chain among them) stay the base's.
    expect(stepOf(body.resolvedSteps, 'victim-safety')).toEqual({
      ...stepOf(base.resolvedSteps, 'victim-safety'),
      title: { en: 'Screen the victim for self-harm risk', mr: MARATHI_TITLE },
      deadline: { minutes: 10 },
    });
  });

  it('keeps a base step\'s dependencies, references and escalation when an overlay only retitles it', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const base = await shippedBase(token);
    const draft = await draftOverlay(tenant, { steps: [{ key: 'data-requests', title: { en: 'Send data disclosure notices', mr: 'माहिती उघड करण्याच्या नोटिसा पाठवा' } }] });
    const composedStep = stepOf((await readSop(draft.id, token)).body.resolvedSteps, 'data-requests');
    const baseStep = stepOf(base.resolvedSteps, 'data-requests')!;
    expect(baseStep.dependsOn).toEqual(['preserve-evidence']);
    expect(composedStep).toEqual({ ...baseStep, title: { en: 'Send data disclosure notices', mr: 'माहिती उघड करण्याच्या नोटिसा पाठवा' } });
  });

  it('validates, then publishes as number 1 with a new ETag, audited', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const base = await shippedBase(token);
    const draft = await draftOverlay(tenant);

    expect(await parseResponse(validateSopRoute, 200, await validate(draft.id, token))).toEqual({ valid: true, steps: base.resolvedSteps.length });

    const published = await publish(draft.id, token, '"v1"');
    expect(published.headers.get('etag')).toBe('"v2"');
    const version = await parseResponse(publishSopRoute, 200, published);
    expect(version).toMatchObject({ id: draft.id, layer: 'unit', status: 'published', number: 1, publishedBy: 'officer-1', version: 2 });
    expect(version.publishedAt).not.toBeNull();
    const read = await readSop(draft.id, token);
    expect(read.etag).toBe('"v2"');
    expect(read.body).toMatchObject({ status: 'published', number: 1, version: 2 });
    expect((await listSops(token, '?layer=unit&status=published')).map((item) => [item.id, item.number])).toEqual([[draft.id, 1]]);
    expect(await listSops(token, '?layer=unit&status=draft')).toEqual([]);

    const events = (await auditTrail(tenant.unitCode, token)).filter((event) => event.target.id === draft.id);
    expect(events.map((event) => event.action)).toEqual(['sop.drafted', 'sop.published']);
  });

  it('is final once published: publishing again and editing are 409, and it stays as published', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const draft = await draftOverlay(tenant);
    await parseResponse(publishSopRoute, 200, await publish(draft.id, token));

    await expectProblem(await publish(draft.id, token), 409, 'sop_published');
    await expectProblem(await publish(draft.id, token, '"v2"'), 409, 'sop_published');
    await expectProblem(await patchSop(draft.id, token, { title: 'Changed after publication' }, '"v2"'), 409, 'sop_published');
    await expectProblem(await patchSop(draft.id, token, { body: { steps: [], retire: [] } }, '*'), 409, 'sop_published');

    const { body, etag } = await readSop(draft.id, token);
    expect(etag).toBe('"v2"');
    expect(body).toMatchObject({ title: 'Maharashtra overlay: Marathi titles', number: 1, version: 2 });
    expect(body.body.retire).toEqual(['action-taken-report']);
  });

  it('edits a draft only under a current If-Match: 428 without, 412 when stale', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const draft = await draftOverlay(tenant);

    await expectProblem(await patchSop(draft.id, token, { title: 'No precondition' }), 428, 'precondition_required');
    const edited = await patchSop(draft.id, token, { title: 'Marathi titles, second reading', body: { steps: [informCyberCell], retire: [] } }, '"v1"');
    expect(edited.headers.get('etag')).toBe('"v2"');
    expect(await parseResponse(updateSopDraftRoute, 200, edited)).toMatchObject({ status: 'draft', number: null, title: 'Marathi titles, second reading', version: 2 });
    await expectProblem(await patchSop(draft.id, token, { title: 'Overwrites the second reading' }, '"v1"'), 412, 'precondition_failed');

    const { body, etag } = await readSop(draft.id, token);
    expect(etag).toBe('"v2"');
    expect(body.title).toBe('Marathi titles, second reading');
    // The new body composes: action-taken-report is back, victim-safety is the base's.
    expect(keysOf(body.resolvedSteps)).toContain('action-taken-report');
    expect(keysOf(body.resolvedSteps).at(-1)).toBe('inform-cyber-cell');

    // Publishing what was validated: a stale If-Match publishes nothing.
    await expectProblem(await publish(draft.id, token, '"v1"'), 412, 'precondition_failed');
    expect((await readSop(draft.id, token)).body).toMatchObject({ status: 'draft', number: null });
  });

  it('that makes two steps wait for each other fails validation with pointers, and publishing it publishes nothing', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const draft = await draftOverlay(tenant, {
      steps: [
        { key: 'victim-safety', dependsOn: ['stop-the-harm'] },
        { key: 'stop-the-harm', dependsOn: ['victim-safety'] },
      ],
    });

    const invalid = await expectProblem(await validate(draft.id, token), 422, 'sop_invalid');
    expect(invalid.errors).toHaveLength(1);
    expect(invalid.errors![0]!.pointer).toMatch(/^\/steps\/(victim-safety|stop-the-harm)\/dependsOn$/);
    expect(invalid.errors![0]!.detail).toContain('victim-safety');
    expect(invalid.errors![0]!.detail).toContain('stop-the-harm');

    const refused = await expectProblem(await publish(draft.id, token), 422, 'sop_invalid');
    expect(refused.errors).toEqual(invalid.errors);
    expect((await readSop(draft.id, token)).body).toMatchObject({ status: 'draft', number: null, publishedAt: null, version: 1 });
    expect(await listSops(token, '?layer=unit&status=published')).toEqual([]);
  });

  it('that adds an incomplete new step fails validation, pointing at each missing field', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const draft = await draftOverlay(tenant, { steps: [{ key: 'call-back', title: { en: 'Call the victim back', mr: 'पीडिताला परत फोन करा' } }] });
    const invalid = await expectProblem(await validate(draft.id, token), 422, 'sop_invalid');
    expect(invalid.errors!.map((error) => error.pointer).sort()).toEqual([
      '/steps/call-back/deadline',
      '/steps/call-back/instructions',
      '/steps/call-back/kind',
      '/steps/call-back/ownerRole',
      '/steps/call-back/trigger',
    ]);
    await expectProblem(await publish(draft.id, token), 422, 'sop_invalid');
    expect((await readSop(draft.id, token)).body.status).toBe('draft');
  });

  it('differs from the base by the steps it adds, retires and changes, field by field', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'investigating_officer');
    const base = await shippedBase(token);
    const draft = await draftOverlay(tenant);

    const diff = await parseResponse(diffSopsRoute, 200, await api(`/v1/sops/${draft.id}/diff?against=${base.id}`, { token }));
    expect(diff).toMatchObject({ from: base.id, to: draft.id, added: ['inform-cyber-cell'], removed: ['action-taken-report'] });
    expect(diff.changed.map((change) => change.key)).toEqual(['victim-safety']);

    // The other way round, the same changes undone.
    const back = await parseResponse(diffSopsRoute, 200, await api(`/v1/sops/${base.id}/diff?against=${draft.id}`, { token }));
    expect(back).toMatchObject({ from: draft.id, to: base.id, added: ['action-taken-report'], removed: ['inform-cyber-cell'] });
    expect(back.changed.map((change) => change.key)).toEqual(['victim-safety']);

    // Only the two fields the overlay names changed.
    expect([...diff.changed[0]!.fields].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'deadline', from: { minutes: 15 }, to: { minutes: 10 } },
      { field: 'title', from: { en: 'Screen the victim for self-harm risk' }, to: { en: 'Screen the victim for self-harm risk', mr: MARATHI_TITLE } },
    ]);
  });

  it('is numbered after the unit\'s last published overlay, and each unit counts its own', async () => {
    const tenant = await createTestTenant();
    const token = await unitAdmin(tenant);
    const first = await draftOverlay(tenant);
    const second = await draftOverlay(tenant, { steps: [informCyberCell], retire: [] }, 'Overlay, second edition');
    expect((await parseResponse(publishSopRoute, 200, await publish(first.id, token))).number).toBe(1);
    expect((await parseResponse(publishSopRoute, 200, await publish(second.id, token))).number).toBe(2);
    expect((await listSops(token, '?layer=unit')).map((version) => [version.id, version.number])).toEqual([
      [second.id, 2],
      [first.id, 1],
    ]);

    const other = await createTestTenant();
    const theirs = await draftOverlay(other);
    expect((await parseResponse(publishSopRoute, 200, await publish(theirs.id, await unitAdmin(other)))).number).toBe(1);
  });
});

describe('station additions', () => {
  it('are drafted and published by the station house officer for the own station, after the unit\'s overlay', async () => {
    const tenant = await createTestTenant();
    await parseResponse(publishSopRoute, 200, await publish((await draftOverlay(tenant)).id, await unitAdmin(tenant)));
    const token = await stationHouseOfficer(tenant);

    const response = await postDraft(token, { layer: 'station', title: 'Shivajinagar local steps', body: { steps: [briefBeatOfficer] } });
    const draft = await parseResponse(createSopDraftRoute, 201, response);
    expect(draft).toMatchObject({ layer: 'station', unitCode: tenant.unitCode, stationCode: tenant.stationCodes[0], status: 'draft', number: null });

    const { body } = await readSop(draft.id, token);
    const keys = keysOf(body.resolvedSteps);
    expect(keys.slice(-2)).toEqual(['inform-cyber-cell', 'brief-beat-officer']);
    expect(keys).not.toContain('action-taken-report');
    expect(stepOf(body.resolvedSteps, 'brief-beat-officer')).toEqual(briefBeatOfficer);

    expect(await parseResponse(validateSopRoute, 200, await validate(draft.id, token))).toEqual({ valid: true, steps: 22 });
    // Numbered in the station's own sequence, not the unit's.
    expect(await parseResponse(publishSopRoute, 200, await publish(draft.id, token))).toMatchObject({ layer: 'station', status: 'published', number: 1 });
  });

  it('are seen by their station, its district and the unit, but not by another station or district', async () => {
    const tenant = await createTestTenant();
    const draft = await parseResponse(
      createSopDraftRoute,
      201,
      await postDraft(await stationHouseOfficer(tenant), { layer: 'station', title: 'Local steps', body: { steps: [briefBeatOfficer] } }),
    );
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'investigating_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await unitAdmin(tenant),
    ]) {
      expect((await readSop(draft.id, token)).body.id).toBe(draft.id);
      expect((await listSops(token, '?layer=station')).map((version) => version.id)).toEqual([draft.id]);
    }
    for (const token of [await stationHouseOfficer(tenant, 1), await tokenFor.district(tenant.unitCode, tenant.districtCodes[1])]) {
      await expectProblem(await api(`/v1/sops/${draft.id}`, { token }), 404, 'not_found');
      expect(await listSops(token, '?layer=station')).toEqual([]);
    }
    // Another station's house officer neither edits nor publishes them.
    await expectProblem(await patchSop(draft.id, await stationHouseOfficer(tenant, 1), { title: 'Ours now' }, '"v1"'), 404, 'not_found');
    await expectProblem(await publish(draft.id, await stationHouseOfficer(tenant, 1)), 404, 'not_found');
    expect((await readSop(draft.id, await unitAdmin(tenant))).body).toMatchObject({ title: 'Local steps', status: 'draft', version: 1 });
  });

  it('cannot be drafted by a station house officer for another station', async () => {
    const tenant = await createTestTenant();
    const response = await postDraft(await stationHouseOfficer(tenant), {
      layer: 'station',
      stationCode: tenant.stationCodes[1],
      title: 'Steps for the neighbours',
      body: { steps: [briefBeatOfficer] },
    });
    // Station officers do not see the other stations of their unit.
    await expectProblem(response, 404, 'not_found');
    expect(await listSops(await unitAdmin(tenant), '?layer=station')).toEqual([]);
  });
});

describe('who may draft and edit', () => {
  it('a station house officer cannot draft a unit overlay nor edit or publish the unit\'s draft', async () => {
    const tenant = await createTestTenant();
    const token = await stationHouseOfficer(tenant);
    await expectProblem(await postDraft(token, { layer: 'unit', title: 'Station-made overlay', body: overlayBody }), 403, 'forbidden');
    expect(await listSops(await unitAdmin(tenant), '?layer=unit')).toEqual([]);

    const draft = await draftOverlay(tenant);
    // The unit's overlay is visible to the station (its cases get it) but not theirs to change.
    expect((await readSop(draft.id, token)).body.id).toBe(draft.id);
    await expectProblem(await patchSop(draft.id, token, { title: 'Edited at the station' }, '"v1"'), 403, 'forbidden');
    await expectProblem(await publish(draft.id, token), 403, 'forbidden');
    expect((await readSop(draft.id, await unitAdmin(tenant))).body).toMatchObject({ title: 'Maharashtra overlay: Marathi titles', status: 'draft', version: 1 });
  });

  it('officers without sop:manage cannot draft: duty officer, investigating officer, district supervisor, auditor', async () => {
    const tenant = await createTestTenant();
    const station = { layer: 'station', title: 'Local steps', body: { steps: [briefBeatOfficer] } };
    for (const role of ['duty_officer', 'investigating_officer'] as const) {
      await expectProblem(await postDraft(await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], role), station), 403, 'forbidden');
    }
    await expectProblem(await postDraft(await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]), { layer: 'unit', title: 'x', body: overlayBody }), 403, 'forbidden');
    await expectProblem(await postDraft(await tokenFor.auditor(tenant.unitCode), { layer: 'unit', title: 'x', body: overlayBody }), 403, 'forbidden');
    expect(await listSops(await unitAdmin(tenant), '?status=draft')).toEqual([]);

    const draft = await draftOverlay(tenant);
    const dutyOfficer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer');
    await expectProblem(await patchSop(draft.id, dutyOfficer, { title: 'x' }, '"v1"'), 403, 'forbidden');
    await expectProblem(await publish(draft.id, dutyOfficer), 403, 'forbidden');
  });

  it('another unit cannot see, validate, diff, edit or publish a unit\'s draft', async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const draft = await draftOverlay(tenant);
    const theirs = await unitAdmin(other);
    const base = await shippedBase(theirs);

    await expectProblem(await api(`/v1/sops/${draft.id}`, { token: theirs }), 404, 'not_found');
    const listed = (await listSops(theirs)).map((version) => version.id);
    expect(listed).toContain(base.id);
    expect(listed).not.toContain(draft.id);
    await expectProblem(await validate(draft.id, theirs), 404, 'not_found');
    await expectProblem(await api(`/v1/sops/${draft.id}/diff?against=${base.id}`, { token: theirs }), 404, 'not_found');
    await expectProblem(await api(`/v1/sops/${base.id}/diff?against=${draft.id}`, { token: theirs }), 404, 'not_found');
    await expectProblem(await patchSop(draft.id, theirs, { title: 'Taken over' }, '*'), 404, 'not_found');
    await expectProblem(await publish(draft.id, theirs), 404, 'not_found');
    await expectProblem(await api(`/v1/sops/${draft.id}`, { token: await tokenFor.station(other.unitCode, other.stationCodes[0], 'station_house_officer') }), 404, 'not_found');

    expect((await readSop(draft.id, await unitAdmin(tenant))).body).toMatchObject({ status: 'draft', title: 'Maharashtra overlay: Marathi titles', version: 1 });
  });

  it('answers 401 without a token', async () => {
    const tenant = await createTestTenant();
    const draft = await draftOverlay(tenant);
    await expectProblem(await api('/v1/sops'), 401, 'unauthorized');
    await expectProblem(await api(`/v1/sops/${draft.id}`), 401, 'unauthorized');
    await expectProblem(await api('/v1/sops', { method: 'POST', body: { layer: 'unit', title: 'x', body: overlayBody } }), 401, 'unauthorized');
    await expectProblem(await api(`/v1/sops/${draft.id}/publish`, { method: 'POST' }), 401, 'unauthorized');
  });

  it('refuses station steps under a key the base already uses (they would be dropped when composed)', async () => {
    const tenant = await createTestTenant();
    const token = await stationHouseOfficer(tenant);
    const clash = { ...briefBeatOfficer, key: 'victim-safety' };
    const created = await postDraft(token, { layer: 'station', title: 'Local steps', body: { steps: [clash, briefBeatOfficer] } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const problem = await expectProblem(await validate(id, token), 422, 'sop_invalid');
    expect(problem.errors).toEqual([{ pointer: '/steps/victim-safety', detail: expect.stringContaining('already has a step victim-safety') }]);
    await expectProblem(await publish(id, token), 422, 'sop_invalid');
  });
});

