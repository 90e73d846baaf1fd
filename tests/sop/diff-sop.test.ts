import { describe, expect, it } from 'vitest';
import { diffSops } from '../../src/sop/diff-sop.js';
import type { ResolvedStep } from '../../src/sop/validate-sop.js';

const victimSafety = {
  key: 'victim-safety',
  title: { en: 'Screen the victim for self-harm risk' },
  instructions: { en: 'Ask about thoughts of self-harm; hand over to 14416 or 112 if the risk is high.' },
  ownerRole: 'duty_officer',
  trigger: { event: 'case_reported' },
  deadline: { minutes: 15 },
  kind: 'policy',
  conditions: {},
  dependsOn: [],
  escalation: [
    { role: 'station_house_officer', afterMinutes: 0 },
    { role: 'district_supervisor', afterMinutes: 60 },
  ],
  legalRefs: [],
};

const portalComplaint = {
  key: 'portal-complaint',
  title: { en: 'File the national portal complaint' },
  instructions: { en: 'Within 24 hours of the 1930 call.' },
  ownerRole: 'investigating_officer',
  trigger: { event: 'step_completed', step: 'report-1930' },
  deadline: { provision: 'NCRP-1930-FOLLOWUP' },
  kind: 'policy',
  conditions: { moneyPaid: true },
  dependsOn: [],
  escalation: [{ role: 'station_house_officer', afterMinutes: 0 }],
  legalRefs: [],
};

const actionTakenReport = { ...victimSafety, key: 'action-taken-report', title: { en: 'Action-taken report' }, ownerRole: 'station_house_officer', deadline: { minutes: 20160 } };

const sop = (...steps: Array<Record<string, unknown>>): ResolvedStep[] => steps.map((step) => ({ key: step.key as string, step }));

/** The same object with its keys (at every depth) in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversedKeys(inner)]));
  return value;
}

describe('diffSops', () => {
  it('finds nothing between an SOP and itself', () => {
    expect(diffSops(sop(victimSafety, portalComplaint), sop(victimSafety, portalComplaint))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('lists the steps added and removed by key', () => {
    const localStep = { ...victimSafety, key: 'inform-cyber-cell', title: { en: 'Inform the district cyber cell' } };
    const diff = diffSops(sop(victimSafety, portalComplaint, actionTakenReport), sop(victimSafety, localStep, portalComplaint));
    expect(diff).toEqual({ added: ['inform-cyber-cell'], removed: ['action-taken-report'], changed: [] });
  });

  it('gives each changed field of a step with its value before and after', () => {
    const changed = { ...victimSafety, title: { en: 'Screen the victim for self-harm risk', mr: 'पीडिताची आत्म-हानीच्या धोक्यासाठी तपासणी करा' }, deadline: { minutes: 10 } };
    const diff = diffSops(sop(victimSafety, portalComplaint), sop(changed, portalComplaint));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]!.key).toBe('victim-safety');
    expect([...diff.changed[0]!.fields].sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'deadline', from: { minutes: 15 }, to: { minutes: 10 } },
      { field: 'title', from: { en: 'Screen the victim for self-harm risk' }, to: changed.title },
    ]);
  });

  it('reports a field one side does not have as null on that side', () => {
    const withRequest = { ...portalComplaint, requestKind: 'data_disclosure' };
    expect(diffSops(sop(portalComplaint), sop(withRequest)).changed).toEqual([{ key: 'portal-complaint', fields: [{ field: 'requestKind', from: null, to: 'data_disclosure' }] }]);
    expect(diffSops(sop(withRequest), sop(portalComplaint)).changed).toEqual([{ key: 'portal-complaint', fields: [{ field: 'requestKind', from: 'data_disclosure', to: null }] }]);
  });

  it('does not count the order of keys as a change, at the top level or inside a field', () => {
    const reordered = reversedKeys(victimSafety) as Record<string, unknown>;
    const reorderedPortal = reversedKeys(portalComplaint) as Record<string, unknown>;
    expect(Object.keys(reordered)[0]).toBe('legalRefs');
    expect(Object.keys(reorderedPortal.trigger as object)).toEqual(['step', 'event']);
    expect(diffSops(sop(victimSafety, portalComplaint), sop(reordered, reorderedPortal))).toEqual({ added: [], removed: [], changed: [] });

    const bilingual = { ...victimSafety, title: { en: 'Screen the victim', mr: 'पीडिताची तपासणी करा' } };
    const bilingualReordered = { ...victimSafety, title: { mr: 'पीडिताची तपासणी करा', en: 'Screen the victim' } };
    expect(diffSops(sop(bilingual), sop(bilingualReordered)).changed).toEqual([]);
  });

  it('counts the order of an escalation chain, which is the order people are told', () => {
    const reversedChain = { ...victimSafety, escalation: [...victimSafety.escalation].reverse() };
    expect(diffSops(sop(victimSafety), sop(reversedChain)).changed).toEqual([
      { key: 'victim-safety', fields: [{ field: 'escalation', from: victimSafety.escalation, to: reversedChain.escalation }] },
    ]);
  });

  it('sees a change nested inside a field and reports the whole field', () => {
    const retriggered = { ...portalComplaint, trigger: { event: 'step_completed', step: 'preserve-evidence' } };
    expect(diffSops(sop(portalComplaint), sop(retriggered)).changed).toEqual([
      { key: 'portal-complaint', fields: [{ field: 'trigger', from: portalComplaint.trigger, to: retriggered.trigger }] },
    ]);
  });
});
