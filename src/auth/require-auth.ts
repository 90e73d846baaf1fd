import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { createTenantRunner, requestBound } from '../db/tenant-runner.js';
import { ProblemError } from '../http/problem.js';
import { countAgainstQuotas } from '../http/quotas.js';
import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';
import { authenticate } from './verify-bearer-token.js';

/**
 * Verifies the bearer token, counts the request against the caller's quotas (429 once one is used
 * up), and gives the handler a runner scoped to the caller's tenancy.
 */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  const match = header?.match(/^Bearer ([A-Za-z0-9\-_.]+)$/i);
  if (!match?.[1]) {
    throw new ProblemError('unauthorized', 'send a bearer token in the Authorization header', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  const result = await authenticate(match[1], c.var.config);
  if ('error' in result) {
    throw new ProblemError('unauthorized', result.error, {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
  }
  const { principal } = result;
  const quotaHeaders = await countAgainstQuotas(c, {
    issuer: principal.issuer,
    subject: principal.subject,
    unitCode: principal.tenancy.level === 'platform' ? undefined : principal.tenancy.unitCode,
  });
  c.set('principal', principal);
  c.set('db', createTenantRunner(c.var.config, principal.tenancy, c.var.now, requestBound(c.var.config, c.req.method)));
  await next();
  for (const [name, value] of Object.entries(quotaHeaders)) c.header(name, value);
});

/** Authenticates, then requires a permission: a valid caller without it gets a 403. */
export function requirePermission(permission: Permission) {
  return [
    requireAuth,
    createMiddleware<AppEnv>(async (c, next) => {
      if (!c.var.principal.permissions.has(permission)) {
        throw new ProblemError('forbidden', `this operation needs the ${permission} permission`);
      }
      await next();
    }),
  ];
}

/** Authenticates, then requires one of several permissions; the handler decides what each allows. */
export function requireAnyPermission(...allowed: Permission[]) {
  return [
    requireAuth,
    createMiddleware<AppEnv>(async (c, next) => {
      if (!allowed.some((permission) => c.var.principal.permissions.has(permission))) {
        throw new ProblemError('forbidden', `this operation needs one of the permissions ${allowed.join(', ')}`);
      }
      await next();
    }),
  ];
}

/** The audit trail is a whole unit's: callers placed at a district or station cannot judge it. */
export function requireUnitLevel(principal: Principal): void {
  if (principal.tenancy.level !== 'unit') {
    throw new ProblemError('forbidden', 'the audit trail is read at unit level; a district or station placement cannot see all of it');
  }
}
