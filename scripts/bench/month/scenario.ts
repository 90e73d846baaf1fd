import type { CaseFacts, RiskLevel } from './model.js';
import type { Prng } from './prng.js';

/** The shares of issue #12's replay (Pune City, a month). */
export const SCENARIO = {
  minorShare: 0.3,
  moneyPaidShare: 0.4,
  circulatedShare: 0.2,
  highRiskShare: 0.05,
  /** 1, 2 or 3 platforms a case. */
  platformCounts: [[1, 50], [2, 35], [3, 15]] as const,
  /** Keys the identifier normaliser knows (src/identifiers/platform.ts) and the shipped directory has. */
  platforms: [['instagram', 32], ['whatsapp', 24], ['facebook', 14], ['snapchat', 12], ['telegram', 10], ['x', 8]] as const,
  /** Per step an officer sees: on time, late, never. */
  behaviour: [['on_time', 70], ['late', 20], ['never', 10]] as const,
  /** Of preserve-evidence steps acted on, the share skipped with a reason (dependants must still start). */
  preserveSkipShare: 0.05,
  /** What a platform does with a request sent to it. */
  answers: { acknowledged: 0.65, actionedAfterAck: 0.6, refused: 0.1 },
};

export type Behaviour = (typeof SCENARIO.behaviour)[number][0];

export function caseFacts(rng: Prng, reportedAt: Date): CaseFacts {
  const minor = rng.chance(SCENARIO.minorShare);
  const moneyPaid = rng.chance(SCENARIO.moneyPaidShare);
  const count = rng.weighted(SCENARIO.platformCounts);
  const platforms: string[] = [];
  while (platforms.length < count) {
    const platform = rng.weighted(SCENARIO.platforms);
    if (!platforms.includes(platform)) platforms.push(platform);
  }
  const riskLevel: RiskLevel = rng.chance(SCENARIO.highRiskShare) ? 'high' : rng.chance(0.3) ? 'medium' : 'low';
  // Paid between 10 minutes and a day and a half before the report (most victims come in after paying).
  const paidAt = moneyPaid ? new Date(reportedAt.getTime() - Math.round(rng.between(10, 2160)) * 60_000 - rng.integer(0, 59_999)) : null;
  return {
    age: minor ? rng.integer(13, 17) : rng.integer(18, 45),
    minor,
    moneyPaid,
    // Below the demo routing rule's ₹1,00,000, and the replay's unit has no rules: no case is transferred.
    amountPaid: moneyPaid ? rng.integer(5, 600) * 100 : 0,
    paidAt,
    imagesCirculated: rng.chance(SCENARIO.circulatedShare),
    platforms,
    riskLevel,
    neverContactThroughFamily: rng.chance(0.15),
    consentToContact: rng.chance(0.9),
  };
}

/** The intake an officer types in with the victim at the station. */
export function intakeBody(facts: CaseFacts, index: number, reportedAt: Date) {
  const firstContactAt = new Date(Math.min(reportedAt.getTime(), facts.paidAt?.getTime() ?? Infinity) - (30 + (index % 2000)) * 60_000);
  const phone = `+91 7${String(100000000 + ((index * 7919) % 899999999)).padStart(9, '0')}`;
  return {
    complainant: { name: `Replay complainant ${index}`, phone: '98123 45610', relationToVictim: facts.minor ? 'parent' : 'self' },
    victim: { age: facts.age },
    incident: {
      firstContactAt: firstContactAt.toISOString(),
      platforms: facts.platforms,
      channels: ['chat', 'video_call'],
      recordedMaterial: ['video_call_recording'],
      threat: 'Will send the video to your contacts unless you pay',
      imagesCirculated: facts.imagesCirculated,
      ...(facts.moneyPaid ? { amountDemanded: String(facts.amountPaid * 2) } : {}),
    },
    identifiers: [{ kind: 'phone', value: phone }],
    payments: facts.moneyPaid
      ? [{ amount: String(facts.amountPaid), paidAt: facts.paidAt!.toISOString(), method: 'upi', reference: String(400000000000 + index), payee: { kind: 'upi', value: `replay${index}@ybl` } }]
      : [],
    narrative: 'Replayed case (npm run bench:month).',
  };
}
