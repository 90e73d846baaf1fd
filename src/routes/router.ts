import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { ProblemError } from '../http/problem.js';

const requestParts: Record<string, string> = {
  query: 'query',
  param: 'path',
  json: 'body',
  header: 'header',
  form: 'body',
  cookie: 'cookie',
};

/** Every router in the app comes from here, so every operation validates and fails the same way. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const part = requestParts[result.target] ?? result.target;
      const errors = result.error.issues.map((issue) => ({
        pointer: `/${part}${issue.path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`,
        detail: issue.message,
      }));
      throw new ProblemError('validation_failed', `${errors.length} field(s) failed validation`, { errors });
    },
  });
}
