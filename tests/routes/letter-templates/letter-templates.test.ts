import { describe, expect, it } from 'vitest';
import { getLetterTemplateRoute } from '../../../src/routes/letter-templates/get-letter-template.js';
import { listLetterTemplatesRoute } from '../../../src/routes/letter-templates/list-letter-templates.js';
import { putLetterTemplateRoute } from '../../../src/routes/letter-templates/put-letter-template.js';
import { LETTER_PLACEHOLDERS } from '../../../src/requests/letter.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { withRoundTrips } from '../platform-requests/round-trips.js';
import { caseAtStation, drafted } from '../platform-requests/support.js';

const templatesPath = (unitCode: string) => `/v1/units/${unitCode}/letter-templates`;

/** By kind, as the list orders them. */
const KINDS = ['data_disclosure', 'emergency_disclosure', 'payment_hold', 'preservation', 'preservation_extension', 'sim_imei_block', 'takedown'];

function putTemplate(unitCode: string, kind: string, token: string, body: unknown, ifMatch?: string) {
  return api(`${templatesPath(unitCode)}/${kind}`, { method: 'PUT', token, body, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
}

function deleteTemplate(unitCode: string, kind: string, token: string, ifMatch?: string) {
  return api(`${templatesPath(unitCode)}/${kind}`, { method: 'DELETE', token, headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch } });
}

async function listed(unitCode: string, token: string) {
  return (await parseResponse(listLetterTemplatesRoute, 200, await api(templatesPath(unitCode), { token }))).data;
}

async function templateOf(unitCode: string, kind: string, token: string) {
  const response = await api(`${templatesPath(unitCode)}/${kind}`, { token });
  return { etag: response.headers.get('etag'), template: await parseResponse(getLetterTemplateRoute, 200, response) };
}

const puneTakedown = 'To: {{platform.name}}\nPune cyber cell notice for case {{ case.reference }} ({{case.station}}, {{case.reportedAt}})\n\n{{identifiers}}\n\nUnder {{legalSections}}.\n\n{{officer}}\n{{today}}';

async function unitWithAdmin(): Promise<{ tenant: TestTenant; admin: string }> {
  const tenant = await createTestTenant();
  return { tenant, admin: await tokenFor.unit(tenant.unitCode) };
}

describe('letter templates: /v1/units/{unitCode}/letter-templates', () => {
  it('lists the shipped template of every kind to anyone in the unit with cases:read, without an ETag', async () => {
    const { tenant } = await unitWithAdmin();
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]),
      await tokenFor.auditor(tenant.unitCode),
    ]) {
      const templates = await listed(tenant.unitCode, token);
      expect(templates.map((template) => template.kind)).toEqual(KINDS);
      expect(templates.every((template) => template.source === 'shipped' && template.body.length > 0)).toBe(true);
    }
    const { template, etag } = await templateOf(tenant.unitCode, 'takedown', await tokenFor.auditor(tenant.unitCode));
    expect(template).toMatchObject({ kind: 'takedown', source: 'shipped', version: 1 });
    expect(template.body).toContain('Subject: Removal of intimate content, case {{case.reference}}');
    // The shipped template is not the unit's to match: no ETag.
    expect(etag).toBeNull();
  });

  it('creates the unit\'s own template without If-Match, which overrides the shipped one for this unit only, and is audited', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const response = await putTemplate(tenant.unitCode, 'takedown', admin, { body: `  ${puneTakedown}\n` });
    expect(response.headers.get('etag')).toBe('"v1"');
    const created = await parseResponse(putLetterTemplateRoute, 201, response);
    expect(created).toEqual({ kind: 'takedown', body: puneTakedown, source: 'unit', version: 1, updatedAt: expect.any(String) });

    const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[2]);
    expect(await templateOf(tenant.unitCode, 'takedown', officer)).toEqual({ etag: '"v1"', template: created });
    const templates = await listed(tenant.unitCode, officer);
    expect(templates.map((template) => template.kind)).toEqual(KINDS);
    expect(templates.filter((template) => template.source === 'unit')).toEqual([created]);

    const other = await createTestTenant();
    const theirs = await templateOf(other.unitCode, 'takedown', await tokenFor.auditor(other.unitCode));
    expect(theirs.template.source).toBe('shipped');
    expect(theirs.template.body).not.toContain('Pune cyber cell');

    const events = (await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'letter_template.created');
    expect(events.map((event) => event.target)).toEqual([{ type: 'letter_template', id: 'takedown' }]);
    expect(events[0]!.changes).toEqual({ kind: 'takedown', body: puneTakedown });
    expect((await auditTrail(other.unitCode, await tokenFor.unit(other.unitCode))).map((event) => event.action)).not.toContain('letter_template.created');
  });

  it('replaces the unit\'s template only under If-Match: 428 without it, 412 when stale or when there is nothing of the unit\'s to replace', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const noneYet = await expectProblem(await putTemplate(tenant.unitCode, 'preservation', admin, { body: 'Preserve {{platform.name}}' }, '*'), 412, 'precondition_failed');
    expect(noneYet.detail).toContain('send the PUT without If-Match to create one');
    await putTemplate(tenant.unitCode, 'preservation', admin, { body: 'Preserve, {{platform.name}}' });
    const again = await expectProblem(await putTemplate(tenant.unitCode, 'preservation', admin, { body: 'Overwrite' }), 428, 'precondition_required');
    expect(again.detail).toContain('send If-Match');
    const replacedResponse = await putTemplate(tenant.unitCode, 'preservation', admin, { body: 'Please preserve for {{platform.preservationDays}} days' }, '"v1"');
    expect(replacedResponse.headers.get('etag')).toBe('"v2"');
    expect(await parseResponse(putLetterTemplateRoute, 200, replacedResponse)).toMatchObject({ body: 'Please preserve for {{platform.preservationDays}} days', source: 'unit', version: 2 });
    await expectProblem(await putTemplate(tenant.unitCode, 'preservation', admin, { body: 'Lost update' }, '"v1"'), 412, 'precondition_failed');
    expect((await parseResponse(putLetterTemplateRoute, 200, await putTemplate(tenant.unitCode, 'preservation', admin, { body: 'Any' }, '*'))).version).toBe(3);
    expect((await templateOf(tenant.unitCode, 'preservation', admin)).template.body).toBe('Any');
    await expectProblem(await putTemplate(tenant.unitCode, 'preservation', admin, { body: 'Any' }, 'v3'), 400, 'validation_failed');
    const replaced = (await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'letter_template.replaced');
    expect(replaced.map((event) => (event.changes as { body: string }).body)).toEqual(['Please preserve for {{platform.preservationDays}} days', 'Any']);
  });

  it('deletes the unit\'s own template under If-Match, falling back to the shipped one', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const shipped = (await templateOf(tenant.unitCode, 'payment_hold', admin)).template;
    await putTemplate(tenant.unitCode, 'payment_hold', admin, { body: 'Hold {{identifiers}}' });
    await expectProblem(await deleteTemplate(tenant.unitCode, 'payment_hold', admin), 428, 'precondition_required');
    await expectProblem(await deleteTemplate(tenant.unitCode, 'payment_hold', admin, '"v9"'), 412, 'precondition_failed');
    expect((await deleteTemplate(tenant.unitCode, 'payment_hold', admin, '"v1"')).status).toBe(204);
    expect(await templateOf(tenant.unitCode, 'payment_hold', admin)).toEqual({ etag: null, template: shipped });
    // Nothing of the unit's left: the shipped template itself cannot be deleted here.
    await expectProblem(await deleteTemplate(tenant.unitCode, 'payment_hold', admin, '*'), 404, 'not_found');
    await expectProblem(await deleteTemplate(tenant.unitCode, 'takedown', admin, '*'), 404, 'not_found');
    const deleted = (await auditTrail(tenant.unitCode, admin)).filter((event) => event.action === 'letter_template.deleted');
    expect(deleted.map((event) => [event.target.id, event.changes])).toEqual([['payment_hold', { kind: 'payment_hold', version: 1 }]]);
  });

  it('validates the template: not empty, not too long, only the placeholders a letter fills, and the kind', async () => {
    const { tenant, admin } = await unitWithAdmin();
    for (const body of [{ body: '' }, { body: ' \n\t ' }, { body: 'x'.repeat(20_001) }, {}, { body: 42 }]) {
      const problem = await expectProblem(await putTemplate(tenant.unitCode, 'takedown', admin, body), 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/body']);
    }
    const extra = await expectProblem(await putTemplate(tenant.unitCode, 'takedown', admin, { body: 'Fine', surprise: 1 }), 400, 'validation_failed');
    expect(extra.errors?.map((error) => error.pointer)).toEqual(['/body']);
    const kind = await expectProblem(await putTemplate(tenant.unitCode, 'arrest', admin, { body: 'Fine' }), 400, 'validation_failed');
    expect(kind.errors?.map((error) => error.pointer)).toEqual(['/path/kind']);
    await expectProblem(await api(`${templatesPath(tenant.unitCode)}/arrest`, { token: admin }), 400, 'validation_failed');

    const unknown = await expectProblem(
      await putTemplate(tenant.unitCode, 'takedown', admin, { body: 'To {{platform.name}} about {{victim.name}}, {{ platform-name }} and {{victim.name}} again; {{}}' }),
      400,
      'validation_failed',
    );
    // Each unknown one named once, the known {{platform.name}} not among them.
    expect(unknown.detail).toMatch(/^unknown placeholders \{\{victim\.name\}\}, \{\{platform-name\}\}, \{\{\}\}: the known ones are /);
    expect(unknown.errors).toEqual([{ pointer: '/body/body', detail: unknown.detail }]);
    for (const name of LETTER_PLACEHOLDERS) expect(unknown.detail).toContain(`{{${name}}}`);
    // Nothing was written.
    expect((await templateOf(tenant.unitCode, 'takedown', admin)).template.source).toBe('shipped');

    // At the limit, and with every known placeholder (spaced as fillTemplate allows): accepted.
    expect((await putTemplate(tenant.unitCode, 'emergency_disclosure', admin, { body: 'x'.repeat(20_000) })).status).toBe(201);
    const everything = LETTER_PLACEHOLDERS.map((name) => `{{ ${name} }}`).join('\n');
    expect((await putTemplate(tenant.unitCode, 'data_disclosure', admin, { body: everything })).status).toBe(201);
  });

  it('accepts every shipped template as a unit\'s own: the shipped letters use only known placeholders', async () => {
    const { tenant, admin } = await unitWithAdmin();
    for (const shipped of await listed(tenant.unitCode, admin)) {
      const created = await parseResponse(putLetterTemplateRoute, 201, await putTemplate(tenant.unitCode, shipped.kind, admin, { body: shipped.body }));
      expect(created).toMatchObject({ kind: shipped.kind, body: shipped.body.trim(), source: 'unit' });
    }
    expect((await listed(tenant.unitCode, admin)).every((template) => template.source === 'unit')).toBe(true);
  });

  it('drafts requests from the unit\'s template after a PUT, and from the shipped one again after the DELETE', async () => {
    const { tenant, caseId, officer, admin } = await caseAtStation();
    const shippedLetter = (await drafted(caseId, officer, { platformKey: 'instagram', kind: 'takedown' })).letter;
    expect(shippedLetter).toContain('Subject: Removal of intimate content');

    await putTemplate(tenant.unitCode, 'takedown', admin, { body: puneTakedown });
    const ours = (await drafted(caseId, officer, { platformKey: 'instagram', kind: 'takedown' })).letter;
    expect(ours).toContain(`Pune cyber cell notice for case ${caseId} (${tenant.stationCodes[0]}, `);
    expect(ours).toContain('To: Instagram (Meta)');
    expect(ours).toContain('- Instagram username: @priya.sharma_22');
    expect(ours).toContain('psi.patil, Investigating Officer');
    expect(ours).not.toContain('Subject: Removal of intimate content');
    expect(ours).not.toMatch(/\{\{/);
    // Only the kind overridden: a preservation is still drafted from the shipped letter.
    expect((await drafted(caseId, officer, { platformKey: 'instagram', kind: 'preservation' })).letter).not.toContain('Pune cyber cell');

    // Another unit's cases keep the shipped letter.
    const elsewhere = await caseAtStation();
    expect((await drafted(elsewhere.caseId, elsewhere.officer, { platformKey: 'instagram', kind: 'takedown' })).letter).toContain('Subject: Removal of intimate content');

    expect((await deleteTemplate(tenant.unitCode, 'takedown', admin, '"v1"')).status).toBe(204);
    const again = (await drafted(caseId, officer, { platformKey: 'instagram', kind: 'takedown' })).letter;
    expect(again).toContain('Subject: Removal of intimate content');
    expect(again).not.toContain('Pune cyber cell');
  });

  it('reads and writes in one database round trip each', async () => {
    const { tenant, admin } = await unitWithAdmin();
    const path = `${templatesPath(tenant.unitCode)}/takedown`;
    expect(await withRoundTrips(path, admin, { method: 'PUT', body: { body: puneTakedown } })).toMatchObject({ status: 201, roundTrips: { http: 1, webSocket: 0 } });
    expect(await withRoundTrips(path, admin, { method: 'PUT', body: { body: puneTakedown }, headers: { 'If-Match': '"v1"' } })).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
    expect(await withRoundTrips(templatesPath(tenant.unitCode), admin)).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
    expect(await withRoundTrips(path, admin)).toMatchObject({ status: 200, roundTrips: { http: 1, webSocket: 0 } });
    expect(await withRoundTrips(path, admin, { method: 'DELETE', headers: { 'If-Match': '"v2"' } })).toMatchObject({ status: 204, roundTrips: { http: 1, webSocket: 0 } });
  });

  it('keeps each unit to its own templates: writes by others are refused, another unit\'s templates are 404', async () => {
    const { tenant, admin } = await unitWithAdmin();
    for (const token of [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await tokenFor.auditor(tenant.unitCode),
      await tokenFor.platform(),
    ]) {
      await expectProblem(await putTemplate(tenant.unitCode, 'takedown', token, { body: 'Mine now' }), 403, 'forbidden');
      await expectProblem(await deleteTemplate(tenant.unitCode, 'takedown', token, '*'), 403, 'forbidden');
    }
    await expectProblem(await api(templatesPath(tenant.unitCode), { token: await tokenFor.platform() }), 403, 'forbidden');
    await expectProblem(await api(`${templatesPath(tenant.unitCode)}/takedown`, { token: await tokenFor.client(tenant.unitCode, []) }), 403, 'forbidden');
    await expectProblem(await api(templatesPath(tenant.unitCode)), 401, 'unauthorized');
    await expectProblem(await putTemplate(tenant.unitCode, 'takedown', 'not-a-token', { body: 'x' }), 401, 'unauthorized');

    const other = await unitWithAdmin();
    await putTemplate(tenant.unitCode, 'takedown', admin, { body: puneTakedown });
    await expectProblem(await putTemplate(tenant.unitCode, 'takedown', other.admin, { body: 'Theirs' }), 404, 'not_found');
    await expectProblem(await putTemplate(tenant.unitCode, 'takedown', other.admin, { body: 'Theirs' }, '*'), 404, 'not_found');
    // Another unit learns nothing of the unit's placeholders check either: the unit is not visible first.
    await expectProblem(await putTemplate(tenant.unitCode, 'takedown', other.admin, { body: '{{nope}}' }), 404, 'not_found');
    await expectProblem(await deleteTemplate(tenant.unitCode, 'takedown', other.admin, '*'), 404, 'not_found');
    await expectProblem(await api(templatesPath(tenant.unitCode), { token: other.admin }), 404, 'not_found');
    await expectProblem(await api(`${templatesPath(tenant.unitCode)}/takedown`, { token: await tokenFor.auditor(other.tenant.unitCode) }), 404, 'not_found');
    expect(await templateOf(tenant.unitCode, 'takedown', admin)).toMatchObject({ etag: '"v1"', template: { body: puneTakedown, version: 1 } });
    // The other unit's admin's own view is untouched by this unit's template.
    expect((await templateOf(other.tenant.unitCode, 'takedown', other.admin)).template.source).toBe('shipped');
  });
});
