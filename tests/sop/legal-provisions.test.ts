import { sql } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { getCaseRoute } from '../../src/routes/cases/get-case.js';
import { getCaseSopRoute } from '../../src/routes/cases/get-case-sop.js';
import { listLegalProvisionsRoute } from '../../src/routes/legal-provisions/list-legal-provisions.js';
import { createSopDraftRoute } from '../../src/routes/sops/create-sop-draft.js';
import { publishSopRoute } from '../../src/routes/sops/publish-sop.js';
import { api, expectProblem } from '../support/api.js';
import { intake, reportTestCase } from '../support/cases.js';
import { ownerConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';
import { testNow } from '../support/clock.js';

const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

async function provisions(token: string, at?: string) {
  const query = at === undefined ? '' : `?at=${encodeURIComponent(at)}`;
  return (await parseResponse(listLegalProvisionsRoute, 200, await api(`/v1/legal-provisions${query}`, { token }))).data;
}

/**
 * A provision code of this test's own, written as the owner (the law ships as migrations), with
 * consecutive periods: each `{ from, minutes }` runs until the next one's `from`. Removed when
 * the test ends, so other tests' lists do not keep it.
 */
async function provisionWithPeriods(periods: Array<{ from: string; minutes: number }>) {
  const code = `TEST-SOP-${crypto.randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  const owner = openHttpDatabase(ownerConfig());
  for (const [index, period] of periods.entries()) {
    const to = periods[index + 1]?.from ?? null;
    await owner.execute(sql`
      insert into legal_provisions (code, act, title, time_limit_minutes, effective_from, effective_to, source_note)
      values (${code}, 'Test Act 2026', 'A time limit that changed', ${period.minutes}, ${period.from}::timestamptz, ${to}::timestamptz,
              ${`Test period ${index + 1}: ${period.minutes} minutes`})`);
  }
  onTestFinished(async () => {
    await owner.execute(sql`delete from legal_provisions where code = ${code}`);
  });
  return code;
}

/** A full step of a unit overlay whose deadline is the provision's limit. */
function stepOnProvision(key: string, provision: string, trigger: 'case_reported' | 'payment_made') {
  return {
    key,
    title: { en: `Test step on ${provision}` },
    instructions: { en: 'Act within the statutory time.' },
    ownerRole: 'investigating_officer',
    trigger: { event: trigger },
    deadline: { provision },
    kind: 'statutory',
    conditions: trigger === 'payment_made' ? { moneyPaid: true } : {},
    dependsOn: [],
    escalation: [{ role: 'station_house_officer', afterMinutes: 0 }],
    legalRefs: [provision],
  };
}

/** The unit administrator drafts and publishes an overlay adding these steps; returns the published version. */
async function publishOverlay(tenant: TestTenant, steps: unknown[]) {
  const admin = await tokenFor.unit(tenant.unitCode);
  const draft = await parseResponse(
    createSopDraftRoute,
    201,
    await api('/v1/sops', { method: 'POST', token: admin, body: { layer: 'unit', title: 'Statutory clocks under test', body: { steps, retire: [] } } }),
  );
  const published = await parseResponse(publishSopRoute, 200, await api(`/v1/sops/${draft.id}/publish`, { method: 'POST', token: admin }));
  expect(published).toMatchObject({ id: draft.id, layer: 'unit', unitCode: tenant.unitCode, status: 'published', number: 1 });
  return published;
}

async function checklistOf(caseId: string, token: string) {
  return parseResponse(getCaseSopRoute, 200, await api(`/v1/cases/${caseId}/sop`, { token }));
}

function stepIn(checklist: Awaited<ReturnType<typeof checklistOf>>, key: string) {
  return [...checklist.now, ...checklist.closed].find((step) => step.key === key);
}

describe('GET /v1/legal-provisions', () => {
  it('lists the shipped provisions with their time limits, effective dates and source notes', async () => {
    const tenant = await createTestTenant();
    const data = await provisions(await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]));
    const byCode = (code: string) => data.filter((provision) => provision.code === code);

    expect(byCode('IT-RULES-2021-3-2-B')).toEqual([
      {
        code: 'IT-RULES-2021-3-2-B',
        act: 'IT (Intermediary Guidelines and Digital Media Ethics Code) Rules 2021',
        title: 'Removal of intimate images on a complaint by or for the person shown',
        timeLimitMinutes: 1440,
        effectiveFrom: '2021-02-25T00:00:00.000Z',
        effectiveTo: null,
        sourceNote: expect.stringContaining('24 hours'),
      },
    ]);
    expect(byCode('BNSS-173-EFIR')).toEqual([expect.objectContaining({ timeLimitMinutes: 4320, effectiveFrom: '2024-07-01T00:00:00.000Z', effectiveTo: null })]);
    expect(byCode('NCRP-1930-FOLLOWUP')).toEqual([expect.objectContaining({ timeLimitMinutes: 1440, sourceNote: expect.stringContaining('24 hours') })]);
    expect(byCode('BNS-308')).toEqual([expect.objectContaining({ act: 'Bharatiya Nyaya Sanhita 2023', timeLimitMinutes: null })]);
    for (const provision of data) expect(provision.sourceNote.length).toBeGreaterThan(0);
  });

  it('`at` selects the rows in force then: a provision not yet enacted is left out, and a changed limit shows its period', async () => {
    const code = await provisionWithPeriods([
      { from: '2000-01-01T00:00:00Z', minutes: 1440 },
      { from: '2025-06-01T00:00:00Z', minutes: 120 },
    ]);
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);

    const every = (await provisions(token)).filter((provision) => provision.code === code);
    expect(every.map(({ timeLimitMinutes, effectiveFrom, effectiveTo }) => ({ timeLimitMinutes, effectiveFrom, effectiveTo }))).toEqual([
      { timeLimitMinutes: 1440, effectiveFrom: '2000-01-01T00:00:00.000Z', effectiveTo: '2025-06-01T00:00:00.000Z' },
      { timeLimitMinutes: 120, effectiveFrom: '2025-06-01T00:00:00.000Z', effectiveTo: null },
    ]);

    const in2022 = await provisions(token, '2022-01-01T00:00:00Z');
    expect(in2022.filter((provision) => provision.code === code).map((provision) => provision.timeLimitMinutes)).toEqual([1440]);
    expect(in2022.map((provision) => provision.code)).toContain('IT-RULES-2021-3-2-B');
    expect(in2022.map((provision) => provision.code)).not.toContain('BNSS-173-EFIR');
    expect(in2022.map((provision) => provision.code)).not.toContain('BNS-308');

    // A period starts at its effective date and the one before ends there.
    const lastMomentOfFirst = await provisions(token, '2025-05-31T23:59:59.999Z');
    expect(lastMomentOfFirst.filter((provision) => provision.code === code).map((provision) => provision.timeLimitMinutes)).toEqual([1440]);
    const firstMomentOfSecond = await provisions(token, '2025-06-01T00:00:00Z');
    expect(firstMomentOfSecond.filter((provision) => provision.code === code).map((provision) => provision.timeLimitMinutes)).toEqual([120]);
    expect(firstMomentOfSecond.map((provision) => provision.code)).toContain('BNSS-173-EFIR');

    // Whatever the date, a code has at most one row in force.
    const codes = firstMomentOfSecond.map((provision) => provision.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('refuses a malformed `at` (400) and an anonymous caller (401)', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    await expectProblem(await api('/v1/legal-provisions?at=last-week', { token }), 400, 'validation_failed');
    await expectProblem(await api('/v1/legal-provisions'), 401, 'unauthorized');
  });
});

describe('a step whose deadline is a legal provision', () => {
  it('takes the limit in force when its clock starts: the report\'s time for one step, the payment\'s for another, and a later change in the law only for later cases', async () => {
    // The limit changed an hour ago: 90 minutes before, 45 since.
    const changedAt = new Date(Math.floor(testNow().getTime() / 1000) * 1000 - 60 * 60_000).toISOString();
    const code = await provisionWithPeriods([
      { from: '2000-01-01T00:00:00Z', minutes: 90 },
      { from: changedAt, minutes: 45 },
    ]);
    const tenant = await createTestTenant();
    const overlay = await publishOverlay(tenant, [stepOnProvision('test-step', code, 'case_reported'), stepOnProvision('test-paid-step', code, 'payment_made')]);

    // Paid two hours ago (before the change), reported now (after it).
    const paidAt = new Date(Date.parse(changedAt) - 60 * 60_000).toISOString();
    const payment = { ...intake().payments[0]!, paidAt };
    const first = await reportTestCase(tenant, { payments: [payment] });
    const officer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]);
    const firstReportedAt = (await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${first.id}`, { token: officer }))).reportedAt;
    expect(Date.parse(firstReportedAt)).toBeGreaterThan(Date.parse(changedAt));

    const checklist = await checklistOf(first.id, officer);
    expect(checklist.sop.unit).toEqual({ id: overlay.id, number: 1 });
    expect(checklist.sop.base).toMatchObject({ number: 2 });
    expect(stepIn(checklist, 'test-step')).toMatchObject({
      status: 'pending',
      kind: 'statutory',
      legalRefs: [code],
      triggeredAt: firstReportedAt,
      dueAt: minutesAfter(firstReportedAt, 45),
    });
    expect(stepIn(checklist, 'test-paid-step')).toMatchObject({ status: 'pending', triggeredAt: paidAt, dueAt: minutesAfter(paidAt, 90) });
    // The overlay adds to the base; it does not replace it.
    expect(stepIn(checklist, 'victim-safety')).toMatchObject({ dueAt: minutesAfter(firstReportedAt, 15) });

    // The law changes again, now: 30 minutes. Cases reported from now on get it; the running case keeps its deadline.
    const owner = openHttpDatabase(ownerConfig());
    const changedAgainAt = testNow().toISOString();
    await owner.execute(sql`
      with closed as (
        update legal_provisions set effective_to = ${changedAgainAt} where code = ${code} and effective_to is null returning code
      )
      insert into legal_provisions (code, act, title, time_limit_minutes, effective_from, source_note)
      select code, 'Test Act 2026', 'A time limit that changed', 30, ${changedAgainAt}, 'Test period 3: 30 minutes' from closed`);

    const second = await reportTestCase(tenant, { payments: [payment] });
    const secondReportedAt = (await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${second.id}`, { token: officer }))).reportedAt;
    const secondChecklist = await checklistOf(second.id, officer);
    expect(stepIn(secondChecklist, 'test-step')).toMatchObject({ triggeredAt: secondReportedAt, dueAt: minutesAfter(secondReportedAt, 30) });
    expect(stepIn(secondChecklist, 'test-paid-step')).toMatchObject({ triggeredAt: paidAt, dueAt: minutesAfter(paidAt, 90) });
    expect(stepIn(await checklistOf(first.id, officer), 'test-step')).toMatchObject({ dueAt: minutesAfter(firstReportedAt, 45) });
  });

  it('belongs to the unit whose overlay adds it: another unit\'s cases do not get it', async () => {
    const code = await provisionWithPeriods([{ from: '2000-01-01T00:00:00Z', minutes: 600 }]);
    const withOverlay = await createTestTenant();
    const without = await createTestTenant();
    await publishOverlay(withOverlay, [stepOnProvision('test-step', code, 'case_reported')]);

    const ours = await reportTestCase(withOverlay);
    const theirs = await reportTestCase(without);
    const ourChecklist = await checklistOf(ours.id, await tokenFor.station(withOverlay.unitCode, withOverlay.stationCodes[0]));
    const theirChecklist = await checklistOf(theirs.id, await tokenFor.station(without.unitCode, without.stationCodes[0]));
    expect(stepIn(ourChecklist, 'test-step')).toMatchObject({ status: 'pending' });
    expect(stepIn(theirChecklist, 'test-step')).toBeUndefined();
    expect(theirChecklist.sop.unit).toBeNull();
  });
});
