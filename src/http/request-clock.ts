import { createMiddleware } from 'hono/factory';
import { tryGetContext } from 'hono/context-storage';
import type { AppEnv } from '../app-env.js';
import { ProblemError } from './problem.js';

/** Tests and the replay benchmark only (CLOCK_OVERRIDE=allow): the time the request is served at. */
export const clockOverrideHeader = 'X-Clock-Override';

/**
 * The one clock of a request: taken once when it arrives, passed to the database as app.now()
 * and read by every SOP computation and row stamp, so a test or a replay that sets it moves them
 * all. Token lifetimes and the audit trail's order keep the real clock.
 */
export const requestClock = createMiddleware<AppEnv>(async (c, next) => {
  const override = c.var.config.CLOCK_OVERRIDE === 'allow' ? c.req.header(clockOverrideHeader) : undefined;
  if (override === undefined) {
    c.set('now', new Date());
  } else {
    const at = Date.parse(override);
    if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(override) || Number.isNaN(at)) {
      throw new ProblemError('invalid_clock_override', `${clockOverrideHeader} must be an RFC 3339 time`);
    }
    c.set('now', new Date(at));
  }
  await next();
});

/** The request's clock wherever the context is not at hand (schema refinements); the real time outside a request. */
export function requestNow(): Date {
  return tryGetContext<AppEnv>()?.var.now ?? new Date();
}
