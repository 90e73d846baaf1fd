import type { Principal } from './auth/principal.js';
import type { TenantRunner } from './db/tenant-runner.js';
import type { AppConfig } from './env.js';
import type { RateLimiter } from './rate-limits/limiter.js';

export interface AppEnv {
  Bindings: Record<string, unknown>;
  Variables: {
    requestId: string;
    config: AppConfig;
    /** The request's clock (src/http/request-clock.ts). */
    now: Date;
    principal: Principal;
    /** The tenant-scoped database runner for the verified caller. */
    db: TenantRunner;
    /** Counts requests against quotas: the Workers bindings, or the Node entry's own counter. */
    rateLimiter: RateLimiter;
    /** Where the request came from (CF-Connecting-IP on Workers, the socket on Node); absent when unknown. */
    clientAddress: string | undefined;
    /** Deliveries the request queued itself (a replay): handed on after it, with those of the events it committed. */
    queuedDeliveries?: readonly string[];
  };
}
