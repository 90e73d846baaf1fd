import { announceEventsAfterWrites, announceThroughQueue, type EventAnnouncer } from './http/announce-events.js';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { stationAppHeaders } from './http/station-app-headers.js';
import type { AppEnv } from './app-env.js';
import { docsPage, docsPagePolicy } from './docs/docs-page.js';
import { parseConfig } from './env.js';
import { handleError, problemResponse } from './http/error-handler.js';
import { allowedMethods } from './http/method-not-allowed.js';
import { requestClock } from './http/request-clock.js';
import { ProblemError, quotaExceededResponse } from './http/problem.js';
import { bearerAuthScheme, clientCredentialsScheme } from './http/security.js';
import { bindingRateLimiter, type RateLimiter } from './rate-limits/limiter.js';
import { healthRoutes } from './routes/health/index.js';
import { problemRoutes } from './routes/problems/index.js';
import { createRouter } from './routes/router.js';
import { auditRoutes } from './routes/audit/index.js';
import { eventRoutes } from './routes/events/index.js';
import { publishEventCatalogue } from './events/publish-event-catalogue.js';
import { caseRoutes } from './routes/cases/index.js';
import { clientRoutes } from './routes/clients/index.js';
import { webhookRoutes } from './routes/webhooks/index.js';
import { districtRoutes } from './routes/districts/index.js';
import { identifierRoutes } from './routes/identifiers/index.js';
import { identityProviderRoutes } from './routes/identity-providers/index.js';
import { routingRuleRoutes } from './routes/routing-rules/index.js';
import { metricsRoutes } from './routes/metrics/index.js';
import { dueRoutes } from './routes/due/index.js';
import { legalProvisionRoutes } from './routes/legal-provisions/index.js';
import { sopRoutes } from './routes/sops/index.js';
import { platformRequestRoutes } from './routes/platform-requests/index.js';
import { platformRoutes } from './routes/platforms/index.js';
import { letterTemplateRoutes } from './routes/letter-templates/index.js';
import { getJwksRoute } from './routes/oauth/get-jwks.js';
import { oauthRoutes } from './routes/oauth/index.js';
import { signInRoutes } from './routes/sign-in/index.js';
import { stationRoutes } from './routes/stations/index.js';
import { unitRoutes } from './routes/units/index.js';
import { callerRoutes } from './routes/me/index.js';

export interface AppOptions {
  /** The committed openapi.yaml, served as is at /openapi.yaml. */
  openApiDocument?: string;
  /** What counts requests against quotas; by default the Workers rate-limiting bindings named in RATE_LIMITS. */
  rateLimiter?: (bindings: Record<string, unknown>) => RateLimiter;
  /**
   * The address a request came from. By default CF-Connecting-IP, which Cloudflare sets on every
   * request to a Worker (a client cannot choose it there); the Node entry reads its socket instead.
   */
  clientAddress?: (request: Request) => string | undefined;
  /**
   * Serves the static assets (assets/: the /docs viewer's files, the station app at /app/) where the
   * platform does not: Workers serves them before the Worker runs; the Node entry passes a handler
   * that reads them from disk.
   */
  staticAssets?: MiddlewareHandler;
  /** After a write that succeeded: by default its events are queued for delivery (Workers Queues); the Node entry drains them itself. */
  announceEvents?: EventAnnouncer;
}

const fromCloudflare = (request: Request) => request.headers.get('CF-Connecting-IP') ?? undefined;

const loadConfig = createMiddleware<AppEnv>(async (c, next) => {
  const result = parseConfig(c.env);
  if (!result.ok) {
    throw new ProblemError('configuration_invalid', `check these settings: ${result.problems.join('; ')}`);
  }
  c.set('config', result.config);
  await next();
});

/** Builds the whole API. Reads no environment at import or build time: bindings arrive per request. */
export function createApp(options: AppOptions = {}) {
  const app = createRouter();
  app.use(contextStorage());

  // Always made here: it goes into the audit chain and the logs, so a client must not choose it.
  app.use(requestId({ headerName: '' }));
  app.use(async (c, next) => {
    await next();
    c.header('X-Request-Id', c.var.requestId);
  });
  app.use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.use(
    cors({
      origin: (origin, c) => {
        const allowed = String((c.env as Record<string, unknown> | undefined)?.CORS_ALLOWED_ORIGINS ?? '').split(',').map((entry) => entry.trim());
        return allowed.includes(origin) ? origin : null;
      },
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'],
      exposeHeaders: ['X-Request-Id', 'ETag', 'Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
      maxAge: 600,
    }),
  );
  // Requests are small JSON; evidence may carry the bytes to hash (up to about 10 MB as base64).
  const tooLarge = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ProblemError('payload_too_large', `send at most ${Math.round(maxSize / 1024)} KiB`);
      },
    });
  const evidenceLimit = tooLarge(15 * 1024 * 1024);
  const defaultLimit = tooLarge(1024 * 1024);
  app.use('/v1/*', (c, next) => (/^\/v1\/cases\/[^/]+\/evidence(\/[^/]+\/custody)?$/.test(c.req.path) ? evidenceLimit(c, next) : defaultLimit(c, next)));
  app.onError(handleError);
  app.notFound((c) => {
    const methods = allowedMethods(app.routes, c.req.path);
    if (methods.length > 0) {
      return problemResponse(
        c,
        new ProblemError('method_not_allowed', `${c.req.method} is not served here; use ${methods.join(', ')}`, {
          headers: { Allow: methods.join(', ') },
        }),
      );
    }
    return problemResponse(c, new ProblemError('not_found', `nothing is served at ${c.req.path}`));
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', bearerAuthScheme);
  app.openAPIRegistry.registerComponent('securitySchemes', 'clientCredentials', clientCredentialsScheme);
  app.openAPIRegistry.registerComponent('responses', 'QuotaExceeded', quotaExceededResponse);
  publishEventCatalogue(app.openAPIRegistry);

  for (const path of ['/health', '/problems/*', '/.well-known/*', '/v1/*']) app.use(path, loadConfig, requestClock);
  const rateLimiterFor = options.rateLimiter ?? bindingRateLimiter;
  const clientAddressOf = options.clientAddress ?? fromCloudflare;
  app.use('/v1/*', async (c, next) => {
    c.set('rateLimiter', rateLimiterFor(c.env ?? {}));
    c.set('clientAddress', clientAddressOf(c.req.raw));
    await next();
  });
  app.use('/v1/*', announceEventsAfterWrites(options.announceEvents ?? announceThroughQueue));
  app.route('/', healthRoutes);
  app.route('/', problemRoutes);
  app.route('/', getJwksRoute);
  app.route('/v1', oauthRoutes);
  app.route('/v1', callerRoutes);
  app.route('/v1', signInRoutes);
  app.route('/v1', unitRoutes);
  app.route('/v1', districtRoutes);
  app.route('/v1', stationRoutes);
  app.route('/v1', identityProviderRoutes);
  app.route('/v1', clientRoutes);
  app.route('/v1', webhookRoutes);
  app.route('/v1', auditRoutes);
  app.route('/v1', routingRuleRoutes);
  app.route('/v1', caseRoutes);
  app.route('/v1', identifierRoutes);
  app.route('/v1', sopRoutes);
  app.route('/v1', dueRoutes);
  app.route('/v1', legalProvisionRoutes);
  app.route('/v1', platformRoutes);
  app.route('/v1', letterTemplateRoutes);
  app.route('/v1', platformRequestRoutes);
  app.route('/v1', metricsRoutes);
  app.route('/v1', eventRoutes);

  if (options.staticAssets) {
    // As Workers' html_handling does for a folder: the station app lives at /app/.
    app.get('/app', (c) => c.redirect('/app/', 307));
    app.use('/app/*', async (c, next) => {
      await next();
      const allowLoopback = (c.env as Record<string, unknown> | undefined)?.ALLOW_LOOPBACK_JWKS === 'true';
      for (const [name, value] of Object.entries(stationAppHeaders(allowLoopback))) c.header(name, value);
    });
    app.use('/app/*', options.staticAssets);
  }

  if (options.openApiDocument) {
    const document = options.openApiDocument;
    app.get('/openapi.yaml', (c) => c.body(document, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }));
    if (options.staticAssets) app.use('/docs/*', options.staticAssets);
    app.get('/docs', (c) => c.html(docsPage, 200, { 'Content-Security-Policy': docsPagePolicy }));
    app.get('/', (c) => c.redirect('/docs'));
  }

  return app;
}

export type App = ReturnType<typeof createApp>;

export const openApiInfo = {
  openapi: '3.1.0',
  info: {
    title: 'Sextortion case and SOP API',
    version: '0.1.0',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    description:
      'Multi-tenant case and standard-operating-procedure API for police cyber-crime units handling online sextortion. ' +
      'Tenancy: state cyber unit → district → police station; no tenant ever sees another tenant\'s data. ' +
      'Errors are RFC 9457 problem documents with a stable `code` and a `requestId`.',
  },
  servers: [{ url: 'http://127.0.0.1:8787', description: 'Local development (npm start)', 'x-internal': false }],
  tags: [
    { name: 'Operations', description: 'Whether the service and its database are ready, and when the minute sweep last ran.' },
    { name: 'Identity', description: 'Tokens and keys: the client-credentials token endpoint, the API\'s key set, integration clients and their secrets, and the identity providers a unit trusts.' },
    { name: 'Onboarding', description: 'State cyber units, the tenants: creating one with its first identity provider or administrator, and reading them.' },
    { name: 'Tenancy', description: 'The districts and police stations within a unit.' },
    { name: 'Cases', description: 'Sextortion complaints from intake to closure: the case, its identifiers, payments, references, notes, safety screen, assignment, transfer and status.' },
    { name: 'Evidence', description: 'Evidence items, their hashes and their chain of custody.' },
    { name: 'SOP', description: 'Standard operating procedures, their versions and each case\'s steps: what is due, what is overdue, what escalates.' },
    { name: 'Platforms', description: 'The platforms a unit writes to, its letter templates, and the takedown, preservation and data requests sent to them.' },
    { name: 'Webhooks', description: 'Subscriptions to the events of a unit, district or station, their deliveries and replays.' },
    { name: 'Events', description: 'The pull feed of the same events, for networks that accept no inbound calls.' },
    { name: 'Audit', description: 'The tamper-evident audit trail, and its verification.' },
  ],
};
