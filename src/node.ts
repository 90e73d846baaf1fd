import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Cron } from 'croner';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import type { EventAnnouncer } from './http/announce-events.js';
import { runScheduledWork, scheduledJobs, webhookDeliveryJobs } from './scheduled.js';
import { announceCommittedEvents, coalescing, inProcessChannel } from './webhooks/delivery-work.js';
import { nodePostgresPool, nodePostgresTransport } from './db/node-postgres-transport.js';
import { useTransport } from './db/tenant-runner.js';
import { parseConfig } from './env.js';
import { nodeOutboundTransport } from './net/node-outbound-transport.js';
import { useOutboundTransport } from './net/outbound-url.js';
import { memoryRateLimiter } from './rate-limits/limiter.js';

/**
 * The same API on Node (@hono/node-server), for self-hosting and the benchmarks; the Workers
 * entry (src/index.ts) stays the main one. Bindings come from the given object, as on Workers.
 * DATABASE_DRIVER=pg talks to DATABASE_URL directly with node-postgres; otherwise through
 * Neon's serverless driver, as on Workers. Outbound requests (identity providers' key sets)
 * also check every address a host name resolves to, which Workers cannot. Quotas are counted in
 * this process's memory (there are no rate-limiting bindings off Workers): exact for one process,
 * not shared between several. The source address is the socket's peer; CF-Connecting-IP is not
 * trusted here. Webhooks are delivered by this process, from the same outbox the queue serves on Workers.
 */
export function serveOnNode(bindings: Record<string, unknown>, port: number, hostname = '127.0.0.1'): ServerType {
  useOutboundTransport(nodeOutboundTransport());
  if (bindings.DATABASE_DRIVER === 'pg') {
    // A connection that cannot be opened within the longest request bound is given up.
    const parsed = parseConfig(bindings);
    const connectionTimeoutMillis = parsed.ok ? parsed.config.DATABASE_WRITE_TIMEOUT_MS : undefined;
    useTransport(nodePostgresTransport(nodePostgresPool(String(bindings.DATABASE_URL), { connectionTimeoutMillis })));
  }
  const openApiDocument = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');
  const addresses = new WeakMap<Request, string>();
  const rateLimiter = memoryRateLimiter();
  const drainOutbox = outboxDrain(bindings);
  // What wrangler.toml's [assets] serves on Workers: the /docs viewer's files and the station app.
  const staticAssets = serveStatic({ root: fileURLToPath(new URL('../assets', import.meta.url)) });
  const app = createApp({
    openApiDocument,
    rateLimiter: () => rateLimiter,
    clientAddress: (request) => addresses.get(request),
    announceEvents: drainOutbox,
    staticAssets,
  });
  return serve({
    fetch: (request, env: { incoming?: { socket?: { remoteAddress?: string } } }) => {
      const address = env.incoming?.socket?.remoteAddress;
      if (address) addresses.set(request, address);
      return app.fetch(request, bindings);
    },
    port,
    hostname,
  });
}

/** Webhook delivery on Node: after each write, this process fans out and attempts the new deliveries itself, and those the write queued (one drain at a time). */
function outboxDrain(bindings: Record<string, unknown>): EventAnnouncer {
  const queued = new Set<string>();
  const drain = coalescing(async () => {
    const parsed = parseConfig(bindings);
    if (!parsed.ok) return;
    const handedOn = [...queued];
    queued.clear();
    await announceCommittedEvents(parsed.config, new Date(), inProcessChannel(parsed.config), handedOn);
  });
  return (c) => {
    for (const id of c.var.queuedDeliveries ?? []) queued.add(id);
    drain();
  };
}

/**
 * The Cron Trigger of wrangler.toml on Node: the same jobs every minute (croner), never two
 * minutes' sweeps at once, each on its scheduled time.
 */
export function scheduleMinuteSweep(bindings: Record<string, unknown>): Cron {
  return new Cron('* * * * *', { protect: true }, async (job: Cron) => {
    const parsed = parseConfig(bindings);
    if (!parsed.ok) {
      console.error(JSON.stringify({ scheduled: 'minute sweep', error: 'configuration_invalid', problems: parsed.problems }));
      return;
    }
    await runScheduledWork(parsed.config, job.currentRun() ?? new Date(), scheduledJobs, webhookDeliveryJobs(inProcessChannel(parsed.config)));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8787);
  serveOnNode({ ...process.env }, port, process.env.HOST ?? '127.0.0.1');
  scheduleMinuteSweep({ ...process.env });
  console.log(`listening on http://${process.env.HOST ?? '127.0.0.1'}:${port}`);
}
