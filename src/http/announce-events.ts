import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { announceCommittedEvents, queueChannel, type DeliveryMessage } from '../webhooks/delivery-work.js';

/** What happens after a write that succeeded, so the events it committed go out now rather than at the next minute. */
export type EventAnnouncer = (c: Context<AppEnv>) => void;

/** On Workers: the write's events fanned out and their deliveries queued, with those it queued itself, after the response (waitUntil). */
export const announceThroughQueue: EventAnnouncer = (c) => {
  const queue = c.env?.WEBHOOK_DELIVERIES as Queue<DeliveryMessage> | undefined;
  if (!queue) return;
  const announced = announceCommittedEvents(c.var.config, c.var.now, queueChannel(queue), c.var.queuedDeliveries).catch((error: unknown) =>
    console.error(JSON.stringify({ webhooks: 'announce', requestId: c.var.requestId, error: String(error) })),
  );
  executionContextOf(c)?.waitUntil(announced);
};

/** The Workers execution context; none when the app is called directly (app.fetch in a script), where the promise simply runs on. */
function executionContextOf(c: Context<AppEnv>): { waitUntil(promise: Promise<unknown>): void } | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

const reads = new Set(['GET', 'HEAD', 'OPTIONS']);

export function announceEventsAfterWrites(announce: EventAnnouncer) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (reads.has(c.req.method) || c.res.status >= 400 || c.req.path === '/v1/oauth/token') return;
    announce(c);
  });
}
