import type { SafetyRiskLevel } from '../sop/vocabulary.js';

/**
 * The victim-safety screen of the first fifteen minutes, as recorded on the case: the risk found
 * (high is a risk to life: the hand-over to Tele-MANAS 14416 or 112 comes at once, and the
 * platforms are asked for emergency disclosure), and how the victim may be reached. Recording it
 * completes the victim-safety step; a later screen replaces the earlier one.
 */
export interface SafetyScreen {
  riskLevel: SafetyRiskLevel;
  /** The victim is a minor, as the screen found; absent when the screen did not ask. */
  victimIsMinor: boolean | null;
  /** Never reach the victim through their family (a family member may be the risk, or must not learn of it). */
  neverContactThroughFamily: boolean;
  consentToContact: boolean;
}

/** The screen finds a minor whom the recorded age says is an adult, or the other way round. */
export function contradictsRecordedAge(screen: SafetyScreen, victim: { age?: unknown }): boolean {
  if (screen.victimIsMinor === null || typeof victim.age !== 'number') return false;
  return screen.victimIsMinor !== victim.age < 18;
}
