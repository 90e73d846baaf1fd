import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { MissingRateLimitBinding, type QuotaOutcome } from '../rate-limits/limiter.js';
import { quotasFor, type AppliedQuota, type QuotaCaller } from '../rate-limits/settings.js';
import { ProblemError } from './problem.js';

/**
 * RateLimit-Policy and RateLimit as the IETF draft writes them (draft-ietf-httpapi-ratelimit-headers,
 * structured-field lists): one item per quota the request counted against, named by what it counts
 * ("client", "unit"), never by the deployment's policy names.
 */
export function rateLimitPolicyHeader(quotas: AppliedQuota[]): string {
  return quotas.map((quota) => `"${quota.kind}";q=${quota.policy.quota};w=${quota.policy.window}`).join(', ');
}

/** Only the quotas whose remaining count is known: the draft requires `r`, and a guess would mislead. */
export function rateLimitHeader(counted: Array<{ quota: AppliedQuota; outcome: QuotaOutcome }>): string | undefined {
  const known = counted.filter(({ outcome }) => outcome.remaining !== undefined);
  if (known.length === 0) return undefined;
  return known
    .map(({ quota, outcome }) => `"${quota.kind}";r=${outcome.remaining}${outcome.resetSeconds === undefined ? '' : `;t=${outcome.resetSeconds}`}`)
    .join(', ');
}

/**
 * Counts the request against the caller's quotas, client first, and stops at the first refusal
 * (so a refused client does not use up its unit's quota). Refused: a 429 with Retry-After. Admitted:
 * the headers to put on the response, whatever its status.
 */
export async function countAgainstQuotas(c: Context<AppEnv>, caller: QuotaCaller): Promise<Record<string, string>> {
  const quotas = quotasFor(c.var.config.RATE_LIMITS, caller);
  const counted: Array<{ quota: AppliedQuota; outcome: QuotaOutcome }> = [];
  for (const quota of quotas) {
    let outcome: QuotaOutcome;
    try {
      outcome = await c.var.rateLimiter.hit(quota);
    } catch (error) {
      if (error instanceof MissingRateLimitBinding) {
        throw new ProblemError('configuration_invalid', `the ${quota.policyName} policy names ${error.binding}, which is not bound`);
      }
      throw error;
    }
    counted.push({ quota, outcome });
    if (!outcome.allowed) {
      const retryAfter = outcome.resetSeconds ?? quota.policy.window;
      throw new ProblemError('quota_exceeded', `the ${quota.kind} quota of ${quota.policy.quota} requests per ${quota.policy.window} s is used up; retry after ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter), ...headersOf(quotas, counted) },
        members: { 'violated-policies': [quota.kind] },
      });
    }
  }
  return headersOf(quotas, counted);
}

function headersOf(quotas: AppliedQuota[], counted: Array<{ quota: AppliedQuota; outcome: QuotaOutcome }>): Record<string, string> {
  const remaining = rateLimitHeader(counted);
  return { 'RateLimit-Policy': rateLimitPolicyHeader(quotas), ...(remaining ? { RateLimit: remaining } : {}) };
}
