import type { AppliedQuota } from './settings.js';

/** What counting one request against a quota found. `remaining` and `resetSeconds` are absent when the counter cannot tell. */
export interface QuotaOutcome {
  allowed: boolean;
  remaining?: number;
  /** Seconds until the quota is surely available again. */
  resetSeconds?: number;
}

/** Counts a request against a quota and says whether it may go on. */
export interface RateLimiter {
  hit(quota: AppliedQuota): Promise<QuotaOutcome>;
}

/** The Workers rate-limiting binding's interface (`[[ratelimits]]` in wrangler.toml). */
interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

function isRateLimitBinding(value: unknown): value is RateLimitBinding {
  return typeof value === 'object' && value !== null && typeof (value as { limit?: unknown }).limit === 'function';
}

export class MissingRateLimitBinding extends Error {
  constructor(readonly binding: string) {
    super(`no rate-limiting binding named ${binding}`);
  }
}

/**
 * On Workers: each policy's own binding, whose limit and period were fixed at deploy. The binding
 * answers only yes or no, so a refusal reports nothing left until a whole window has passed, and an
 * admitted request reports nothing: the count behind it is the platform's, per Cloudflare location.
 */
export function bindingRateLimiter(bindings: Record<string, unknown>): RateLimiter {
  return {
    async hit(quota) {
      const binding = bindings[quota.policy.binding];
      if (!isRateLimitBinding(binding)) throw new MissingRateLimitBinding(quota.policy.binding);
      const { success } = await binding.limit({ key: `${quota.policyName}/${quota.partition}` });
      return success ? { allowed: true } : { allowed: false, remaining: 0, resetSeconds: quota.policy.window };
    },
  };
}

/**
 * For one Node process: a fixed window per partition that opens with its first request. Exact, so
 * it reports what is left and when the window closes. Not shared between processes: run one, or
 * put a shared limiter in front.
 */
export function memoryRateLimiter(now: () => number = Date.now, maxPartitions = 100_000): RateLimiter {
  const windows = new Map<string, { endsAt: number; count: number }>();
  const forgetClosed = (at: number) => {
    for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key);
  };
  return {
    async hit(quota) {
      const at = now();
      const key = `${quota.policyName}/${quota.partition}`;
      let window = windows.get(key);
      if (!window || window.endsAt <= at) {
        if (windows.size >= maxPartitions) forgetClosed(at);
        window = { endsAt: at + quota.policy.window * 1000, count: 0 };
        windows.set(key, window);
      }
      const resetSeconds = Math.max(1, Math.ceil((window.endsAt - at) / 1000));
      if (window.count >= quota.policy.quota) return { allowed: false, remaining: 0, resetSeconds };
      window.count += 1;
      return { allowed: true, remaining: quota.policy.quota - window.count, resetSeconds };
    },
  };
}
