import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { createTenantRunner, requestBound } from '../db/tenant-runner.js';
import { ProblemError } from '../http/problem.js';
import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';
import { authenticate } from './verify-bearer-token.js';

/** Verifies the bearer token and gives the handler a runner scoped to the caller's tenancy. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  const match = header?.match(/^Bearer ([A-Za-z0-9\-_.]+)$/i);
  if (!match?.[1]) {
    throw new ProblemError(401, 'unauthorized', 'Authentication required', 'send a bearer token in the Authorization header', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  const result = await authenticate(match[1], c.var.config);
  if ('error' in result) {
    throw new ProblemError(401, 'unauthorized', 'Authentication required', result.error, {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
  }
  c.set('principal', result.principal);
  c.set('db', createTenantRunner(c.var.config, result.principal.tenancy, c.var.now, requestBound(c.var.config, c.req.method)));
  await next();
});

/** Authenticates, then requires a permission: a valid caller without it gets a 403. */
export function requirePermission(permission: Permission) {
  return [
    requireAuth,
    createMiddleware<AppEnv>(async (c, next) => {
      if (!c.var.principal.permissions.has(permission)) {
        throw new ProblemError(403, 'forbidden', 'Not permitted', `this operation needs the ${permission} permission`);
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
        throw new ProblemError(403, 'forbidden', 'Not permitted', `this operation needs one of the permissions ${allowed.join(', ')}`);
      }
      await next();
    }),
  ];
}

/** The audit trail is a whole unit's: callers placed at a district or station cannot judge it. */
export function requireUnitLevel(principal: Principal): void {
  if (principal.tenancy.level !== 'unit') {
    throw new ProblemError(403, 'forbidden', 'Not permitted', 'the audit trail is read at unit level; a district or station placement cannot see all of it');
  }
}
