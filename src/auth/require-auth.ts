import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { createTenantRunner } from '../db/tenant-runner.js';
import { ProblemError } from '../http/problem.js';
import { principalFromClaims } from './principal.js';
import { verifyBearerToken } from './verify-bearer-token.js';

function unauthorized(detail: string): ProblemError {
  return new ProblemError(401, 'unauthorized', 'Authentication required', detail, {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });
}

/** Verifies the bearer token and gives the handler a runner scoped to the caller's tenancy. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('Authorization');
  const match = header?.match(/^Bearer ([A-Za-z0-9\-_.]+)$/);
  if (!match?.[1]) {
    throw new ProblemError(401, 'unauthorized', 'Authentication required', 'send a bearer token in the Authorization header', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  const check = await verifyBearerToken(match[1], c.var.config);
  if (!check.valid) throw unauthorized(check.reason);
  const result = principalFromClaims(check.claims);
  if ('error' in result) throw unauthorized(result.error);
  c.set('principal', result.principal);
  c.set('db', createTenantRunner(c.var.config, result.principal.scope));
  await next();
});
