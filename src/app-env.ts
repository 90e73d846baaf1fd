import type { Principal } from './auth/principal.js';
import type { TenantRunner } from './db/tenant-runner.js';
import type { AppConfig } from './env.js';

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
  };
}
