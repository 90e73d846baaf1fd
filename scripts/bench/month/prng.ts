/** A small seeded generator (mulberry32): the same seed replays the same month. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  between(low: number, high: number): number;
  integer(low: number, high: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the items, by weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  /** A generator of its own for a sub-stream (a case), from the seed and the label only: one case's draws shift no other's, whatever was drawn before. */
  fork(label: string | number): Prng;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let index = 0; index < text.length; index += 1) h = Math.imul(h ^ text.charCodeAt(index), 16777619);
  return h >>> 0;
}

export function prng(seed: number | string): Prng {
  const origin = typeof seed === 'number' ? seed >>> 0 : hash(seed);
  let state = origin;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const self: Prng = {
    next,
    between: (low, high) => low + (high - low) * next(),
    integer: (low, high) => low + Math.floor((high - low + 1) * next()),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(items) {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let draw = next() * total;
      for (const [item, weight] of items) {
        draw -= weight;
        if (draw < 0) return item;
      }
      return items.at(-1)![0];
    },
    fork: (label) => prng(hash(`${origin}:${label}`)),
  };
  return self;
}
