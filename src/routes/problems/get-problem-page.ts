import { createRoute, z } from '@hono/zod-openapi';
import { html, raw } from 'hono/html';
import { commonProblems, notFoundProblem, ProblemError } from '../../http/problem.js';
import { problemCatalogue, type ProblemCode } from '../../http/problem-catalogue.js';
import { createRouter } from '../router.js';

const route = createRoute({
  method: 'get',
  path: '/problems/{code}',
  operationId: 'getProblemPage',
  security: [],
  tags: ['Operations'],
  summary: 'What a problem code means and what to do about it',
  description: "The page a problem's `type` URI points at: its status, title, meaning and what the client should do. HTML, for people.",
  request: { params: z.object({ code: z.string().max(64).regex(/^[a-z][a-z0-9_]{0,63}$/).openapi({ param: { name: 'code', in: 'path' }, example: 'not_found' }) }) },
  responses: {
    200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } },
    ...notFoundProblem,
    400: commonProblems[400],
    500: commonProblems[500],
  },
});

/** `code` spans in the catalogue's text become <code>; everything else is escaped. */
function withCodeSpans(text: string) {
  const escaped = String(html`${text}`);
  return raw(escaped.replace(/`([^`]+)`/g, '<code>$1</code>'));
}

export const getProblemPage = createRouter().openapi(route, async (c) => {
  const { code } = c.req.valid('param');
  if (!Object.hasOwn(problemCatalogue, code)) throw new ProblemError('not_found', `no problem is called ${code}`);
  const problem = problemCatalogue[code as ProblemCode];
  const page = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${code}: ${problem.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:0 .2em}</style></head>
<body>
<p><a href="/docs">API reference</a></p>
<h1>${problem.title}</h1>
<p>HTTP status <strong>${problem.status}</strong>, problem code <code>${code}</code>.</p>
<p>${withCodeSpans(problem.means)}</p>
<p>Every problem answer also carries <code>requestId</code>: quote it when you report a fault.</p>
</body>
</html>`;
  return c.html(page, 200);
});
