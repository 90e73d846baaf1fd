import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { AuditActor } from '../db/queries/audit.js';
import type { Idempotency } from '../http/idempotency.js';

/** Who the audit trail names for this request. */
export function actorOf(c: Context<AppEnv>, idempotency?: Idempotency): AuditActor {
  return { principal: c.var.principal, requestId: c.var.requestId, idempotency };
}
