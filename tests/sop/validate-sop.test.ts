import { describe, expect, it } from 'vitest';
import type { SopStep } from '../../src/sop/step-definition.js';
import { validateSop, type ResolvedStep } from '../../src/sop/validate-sop.js';

const provisions = new Set(['BSA-63', 'NCRP-1930-FOLLOWUP', 'IT-RULES-2021-3-2-B', 'BNSS-94']);

/** A complete step that validates on its own; tests change one thing about it. */
function step(key: string, changes: Partial<SopStep> = {}): SopStep {
  return {
    key,
    title: { en: `Do ${key}` },
    instructions: { en: `How to do ${key}.` },
    ownerRole: 'investigating_officer',
    trigger: { event: 'case_reported' },
    deadline: { minutes: 60 },
    kind: 'policy',
    conditions: {},
    dependsOn: [],
    escalation: [
      { role: 'station_house_officer', afterMinutes: 0 },
      { role: 'district_supervisor', afterMinutes: 60 },
      { role: 'unit_admin', afterMinutes: 240 },
    ],
    legalRefs: [],
    ...changes,
  };
}

const composed = (...steps: Array<SopStep | Record<string, unknown>>): ResolvedStep[] => steps.map((item) => ({ key: item.key as string, step: item }));

const pointersOf = (steps: ResolvedStep[]) => validateSop(steps, provisions).map((error) => error.pointer);

describe('validateSop', () => {
  it('accepts a small usable SOP with a dependency chain, a payment step and a provision deadline', () => {
    const steps = composed(
      step('victim-safety', { ownerRole: 'duty_officer' }),
      step('preserve-evidence', { legalRefs: ['BSA-63'] }),
      step('data-requests', { trigger: { event: 'step_completed', step: 'preserve-evidence' }, dependsOn: ['preserve-evidence'], legalRefs: ['BNSS-94'] }),
      step('report-1930', { trigger: { event: 'payment_made' }, conditions: { moneyPaid: true } }),
      step('portal-complaint', { trigger: { event: 'step_completed', step: 'report-1930' }, deadline: { provision: 'NCRP-1930-FOLLOWUP' }, conditions: { moneyPaid: true } }),
      step('takedown', { conditions: { platformInvolved: true, platforms: ['instagram'] }, legalRefs: ['IT-RULES-2021-3-2-B'] }),
      step('emergency-disclosure', { trigger: { event: 'content_circulated' }, conditions: { imagesCirculated: true } }),
    );
    expect(validateSop(steps, provisions)).toEqual([]);
  });

  describe('roles', () => {
    it('rejects an owner role nobody holds, and the platform and machine roles that do not work cases', () => {
      for (const ownerRole of ['constable', 'platform_admin', 'integration_client', 'auditor']) {
        const errors = validateSop(composed(step('victim-safety', { ownerRole })), provisions);
        expect(errors.map((error) => error.pointer), ownerRole).toEqual(['/steps/victim-safety/ownerRole']);
        expect(errors[0]!.detail).toContain(ownerRole);
      }
    });

    it('rejects an escalation to a role nobody holds, pointing at its level', () => {
      const errors = validateSop(
        composed(step('preserve-evidence', { escalation: [{ role: 'station_house_officer', afterMinutes: 0 }, { role: 'commissioner', afterMinutes: 60 }] })),
        provisions,
      );
      expect(errors.map((error) => error.pointer)).toEqual(['/steps/preserve-evidence/escalation/1/role']);
      expect(errors[0]!.detail).toContain('commissioner');
    });

    it('rejects an escalation that goes back down the chain', () => {
      const downToStation = step('register-fir', { escalation: [{ role: 'district_supervisor', afterMinutes: 0 }, { role: 'station_house_officer', afterMinutes: 60 }] });
      const downToDistrict = step('bank-trail', { escalation: [{ role: 'unit_admin', afterMinutes: 0 }, { role: 'district_supervisor', afterMinutes: 60 }] });
      expect(pointersOf(composed(downToStation, downToDistrict))).toEqual(['/steps/register-fir/escalation/1/role', '/steps/bank-trail/escalation/1/role']);
      // Two people at the same level, in either order, is not going down.
      const sameLevel = step('stop-the-harm', { escalation: [{ role: 'duty_officer', afterMinutes: 0 }, { role: 'station_house_officer', afterMinutes: 30 }, { role: 'investigating_officer', afterMinutes: 30 }] });
      expect(pointersOf(composed(sameLevel))).toEqual([]);
    });

    it('rejects an escalation that goes back in time, and accepts two levels told at once', () => {
      const backInTime = step('preserve-evidence', {
        escalation: [{ role: 'station_house_officer', afterMinutes: 60 }, { role: 'district_supervisor', afterMinutes: 30 }, { role: 'unit_admin', afterMinutes: 240 }],
      });
      expect(pointersOf(composed(backInTime))).toEqual(['/steps/preserve-evidence/escalation/1/afterMinutes']);
      const together = step('preserve-evidence', { escalation: [{ role: 'station_house_officer', afterMinutes: 60 }, { role: 'district_supervisor', afterMinutes: 60 }] });
      expect(pointersOf(composed(together))).toEqual([]);
    });
  });

  describe('references to other steps', () => {
    it('rejects a dependency on a step the SOP does not have', () => {
      const errors = validateSop(composed(step('preserve-evidence'), step('data-requests', { dependsOn: ['preserve-evidence', 'collect-evidence'] })), provisions);
      expect(errors.map((error) => error.pointer)).toEqual(['/steps/data-requests/dependsOn']);
      expect(errors[0]!.detail).toContain('collect-evidence');
    });

    it('rejects a step started by the completion of a step the SOP does not have', () => {
      const errors = validateSop(composed(step('portal-complaint', { trigger: { event: 'step_completed', step: 'report-1903' } })), provisions);
      expect(errors.map((error) => error.pointer)).toEqual(['/steps/portal-complaint/trigger/step']);
      expect(errors[0]!.detail).toContain('report-1903');
    });
  });

  describe('cycles', () => {
    it('names the steps of a cycle through dependencies', () => {
      const errors = validateSop(
        composed(step('victim-safety'), step('preserve-evidence', { dependsOn: ['bank-trail'] }), step('bank-trail', { dependsOn: ['identifier-lookups'] }), step('identifier-lookups', { dependsOn: ['preserve-evidence'] })),
        provisions,
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]!.pointer).toMatch(/^\/steps\/(preserve-evidence|bank-trail|identifier-lookups)\//);
      for (const key of ['preserve-evidence', 'bank-trail', 'identifier-lookups']) expect(errors[0]!.detail).toContain(key);
      expect(errors[0]!.detail).not.toContain('victim-safety');
    });

    it('names the steps of a cycle through step-completed triggers', () => {
      const errors = validateSop(
        composed(
          step('register-fir', { trigger: { event: 'step_completed', step: 'pocso-sections' } }),
          step('pocso-sections', { trigger: { event: 'step_completed', step: 'register-fir' } }),
        ),
        provisions,
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]!.pointer).toMatch(/^\/steps\/(register-fir|pocso-sections)\//);
      expect(errors[0]!.detail).toContain('register-fir');
      expect(errors[0]!.detail).toContain('pocso-sections');
    });

    it('finds a cycle that mixes a dependency and a trigger, and a step that waits for itself', () => {
      const mixed = validateSop(
        composed(
          step('preserve-evidence', { dependsOn: ['data-requests'] }),
          step('data-requests', { trigger: { event: 'step_completed', step: 'preserve-evidence' } }),
        ),
        provisions,
      );
      expect(mixed).toHaveLength(1);
      expect(mixed[0]!.detail).toContain('preserve-evidence');
      expect(mixed[0]!.detail).toContain('data-requests');

      const selfish = validateSop(composed(step('bank-trail', { dependsOn: ['bank-trail'] })), provisions);
      expect(selfish.map((error) => error.pointer)).toEqual(['/steps/bank-trail/dependsOn']);
      expect(selfish[0]!.detail).toContain('bank-trail');
    });

    it('reports a cycle once when a step both depends on and is started by the same step (as the base\'s steps are)', () => {
      // identifier-lookups waits for preserve-evidence twice over; making preserve-evidence wait for it closes one cycle.
      const errors = validateSop(
        composed(
          step('preserve-evidence', { dependsOn: ['identifier-lookups'] }),
          step('identifier-lookups', { trigger: { event: 'step_completed', step: 'preserve-evidence' }, dependsOn: ['preserve-evidence'] }),
        ),
        provisions,
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]!.detail).toContain('identifier-lookups');
    });

    it('does not take shared prerequisites (a diamond) for a cycle', () => {
      const steps = composed(
        step('preserve-evidence'),
        step('data-requests', { trigger: { event: 'step_completed', step: 'preserve-evidence' }, dependsOn: ['preserve-evidence'] }),
        step('identifier-lookups', { dependsOn: ['preserve-evidence'] }),
        step('register-fir', { dependsOn: ['data-requests', 'identifier-lookups'], trigger: { event: 'step_completed', step: 'identifier-lookups' } }),
      );
      expect(validateSop(steps, provisions)).toEqual([]);
    });
  });

  describe('conditions no case can meet', () => {
    it('rejects a step started by a payment that requires no money to have been paid', () => {
      const steps = composed(step('report-1930', { trigger: { event: 'payment_made' }, conditions: { moneyPaid: false } }));
      expect(pointersOf(steps)).toEqual(['/steps/report-1930/conditions/moneyPaid']);
    });

    it('rejects a step started by circulation that requires nothing to have circulated', () => {
      const steps = composed(step('emergency-disclosure', { trigger: { event: 'content_circulated' }, conditions: { imagesCirculated: false } }));
      expect(pointersOf(steps)).toEqual(['/steps/emergency-disclosure/conditions/imagesCirculated']);
    });

    it('rejects an empty platform list, which matches no case', () => {
      expect(pointersOf(composed(step('platform-takedown', { conditions: { platforms: [] } })))).toEqual(['/steps/platform-takedown/conditions/platforms']);
    });

    it('rejects naming platforms while requiring that no platform is involved', () => {
      const steps = composed(step('platform-takedown', { conditions: { platforms: ['instagram', 'snapchat'], platformInvolved: false } }));
      expect(pointersOf(steps)).toEqual(['/steps/platform-takedown/conditions/platformInvolved']);
    });

    it('accepts the same conditions where a case can meet them', () => {
      const steps = composed(
        step('report-1930', { trigger: { event: 'case_reported' }, conditions: { moneyPaid: false } }),
        step('emergency-disclosure', { trigger: { event: 'case_reported' }, conditions: { imagesCirculated: false } }),
        step('platform-takedown', { conditions: { platforms: ['instagram'], platformInvolved: true } }),
      );
      expect(validateSop(steps, provisions)).toEqual([]);
    });
  });

  describe('legal provisions', () => {
    it('rejects a deadline taken from an unknown provision', () => {
      const errors = validateSop(composed(step('portal-complaint', { deadline: { provision: 'NCRP-1930-FOLLOW-UP' } })), provisions);
      expect(errors.map((error) => error.pointer)).toEqual(['/steps/portal-complaint/deadline/provision']);
      expect(errors[0]!.detail).toContain('NCRP-1930-FOLLOW-UP');
    });

    it('rejects an unknown provision among the legal references', () => {
      const errors = validateSop(composed(step('preserve-evidence', { legalRefs: ['BSA-63', 'IEA-65B'] })), provisions);
      expect(errors.map((error) => error.pointer)).toEqual(['/steps/preserve-evidence/legalRefs']);
      expect(errors[0]!.detail).toContain('IEA-65B');
    });

    it('points at each field that names an unknown provision when a step cites the provision its deadline comes from', () => {
      const errors = validateSop(composed(step('platform-takedown', { deadline: { provision: 'IT-RULES-2026-3-2-B' }, legalRefs: ['IT-RULES-2026-3-2-B'] })), provisions);
      expect(errors.map((error) => error.pointer).sort()).toEqual(['/steps/platform-takedown/deadline/provision', '/steps/platform-takedown/legalRefs']);
    });
  });

  describe('composed steps', () => {
    it('rejects a new step an overlay added without the fields a step needs, pointing at each missing field', () => {
      // The overlay named only a key and a title: composed on the base, nothing fills the rest in.
      const incomplete = { key: 'call-back', title: { en: 'Call the victim back', mr: 'पीडिताला परत फोन करा' }, conditions: {}, dependsOn: [], escalation: [], legalRefs: [] };
      const pointers = pointersOf(composed(step('victim-safety'), incomplete));
      expect(pointers.sort()).toEqual(['/steps/call-back/deadline', '/steps/call-back/instructions', '/steps/call-back/kind', '/steps/call-back/ownerRole', '/steps/call-back/trigger']);
    });

    it('rejects a changed field the step schema does not allow, and does not call a dependency on an unparsable step unknown', () => {
      const steps = composed(
        { ...step('victim-safety'), deadline: { minutes: -5 } },
        step('stop-the-harm', { dependsOn: ['victim-safety'] }),
      );
      expect(pointersOf(steps)).toEqual([expect.stringMatching(/^\/steps\/victim-safety\/deadline(\/minutes)?$/)]);
    });
  });
});

describe('validateSop: keys and platforms', () => {
  it('refuses two steps with one key, wherever they come from', () => {
    expect(pointersOf(composed(step('victim-safety'), step('victim-safety')))).toContain('/steps/victim-safety');
  });

  it('refuses platforms not written as cases record them', () => {
    const errors = validateSop(composed(step('platform-takedown', { conditions: { platforms: ['Instagram', 'other:Free Fire', 'instagarm'] } })), provisions);
    expect(errors.filter((error) => error.pointer === '/steps/platform-takedown/conditions/platforms').map((error) => error.detail)).toEqual([
      'write Instagram as instagram, as cases record it',
      'write other:Free Fire as other:free-fire, as cases record it',
      expect.stringContaining('unknown platform'),
    ]);
    expect(validateSop(composed(step('platform-takedown', { conditions: { platforms: ['instagram', 'other:tinder'] } })), provisions)).toEqual([]);
  });

  it('refuses a step that can never start: started by a step whose conditions contradict its own, or by one that never starts', () => {
    const steps = composed(
      step('pocso-sections', { conditions: { victimIsMinor: true } }),
      step('adult-follow-up', { trigger: { event: 'step_completed', step: 'pocso-sections' }, conditions: { victimIsMinor: false } }),
      step('after-that', { trigger: { event: 'step_completed', step: 'adult-follow-up', releasedBy: ['done', 'skipped'] } }),
      step('fine', { trigger: { event: 'step_completed', step: 'pocso-sections', releasedBy: ['done', 'skipped', 'not_applicable'] }, conditions: { victimIsMinor: true } }),
    );
    const errors = validateSop(steps, provisions);
    expect(errors).toEqual([
      { pointer: '/steps/adult-follow-up/trigger/step', detail: expect.stringContaining('victimIsMinor to be true') },
      { pointer: '/steps/after-that/trigger/step', detail: 'after-that can never start: it starts when adult-follow-up is closed, which never starts' },
    ]);
  });

  it('refuses a step started by a platform\'s event that is not taken per platform, and accepts one that is', () => {
    expect(validateSop(composed(step('follow-up', { trigger: { event: 'platform_deadline_missed' } })), provisions)).toEqual([
      { pointer: '/steps/follow-up/forEachPlatform', detail: expect.stringContaining('never starts') },
    ]);
    expect(validateSop(composed(step('follow-up', { trigger: { event: 'platform_deadline_missed' }, forEachPlatform: true, completedBy: ['platform_response'] })), provisions)).toEqual([]);
    expect(pointersOf(composed({ ...step('odd'), completedBy: ['a_phone_call'] }))).toEqual(['/steps/odd/completedBy/0']);
    expect(pointersOf(composed({ ...step('odd'), trigger: { event: 'step_completed', step: 'odd-one', releasedBy: ['finished'] } }, step('odd-one')))).toEqual([
      '/steps/odd/trigger/releasedBy/0',
    ]);
  });
});
