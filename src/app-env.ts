import type { Principal } from './auth/principal.js';
import type { TenantRunner } from './db/tenant-runner.js';
import type { AppConfig } from './env.js';

export interface AppEnv {
  Bindings: Record<string, unknown>;
  Variables: {
    requestId: string;
    config: AppConfig;
    principal: Principal;
    /** The tenant-scoped database runner for the verified caller. */
    db: TenantRunner;
  };
}
