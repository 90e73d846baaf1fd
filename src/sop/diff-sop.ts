import type { ResolvedStep } from './validate-sop.js';

export interface SopDiff {
  added: string[];
  removed: string[];
  changed: Array<{ key: string; fields: Array<{ field: string; from: unknown; to: unknown }> }>;
}

/** Steps added, removed and changed (field by field, top level) from one composed SOP to another. */
export function diffSops(from: ResolvedStep[], to: ResolvedStep[]): SopDiff {
  const before = new Map(from.map(({ key, step }) => [key, step as Record<string, unknown>]));
  const after = new Map(to.map(({ key, step }) => [key, step as Record<string, unknown>]));
  const changed: SopDiff['changed'] = [];
  for (const [key, next] of after) {
    const previous = before.get(key);
    if (!previous) continue;
    const fields = [...new Set([...Object.keys(previous), ...Object.keys(next)])]
      .filter((field) => canonical(previous[field]) !== canonical(next[field]))
      .map((field) => ({ field, from: previous[field] ?? null, to: next[field] ?? null }));
    if (fields.length > 0) changed.push({ key, fields });
  }
  return {
    added: [...after.keys()].filter((key) => !before.has(key)),
    removed: [...before.keys()].filter((key) => !after.has(key)),
    changed,
  };
}

/** JSON with object keys sorted, so key order does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
