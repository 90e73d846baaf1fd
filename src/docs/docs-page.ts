/**
 * /docs: Swagger UI over the committed contract. The viewer's script and styles are this API's
 * own static assets (assets/docs/, copied from the pinned swagger-ui-dist by scripts/docs-assets.ts),
 * so the page opens on a network that reaches nothing else; its policy lets it load nothing from
 * elsewhere (calls made with "Try it out" may still go to the contract's servers).
 */
export const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Sextortion case and SOP API</title>
    <link rel="stylesheet" href="/docs/swagger-ui/swagger-ui.css">
  </head>
  <body>
    <div id="swagger-ui" data-url="/openapi.yaml"></div>
    <script src="/docs/swagger-ui/swagger-ui-bundle.js"></script>
    <script src="/docs/swagger-initializer.js"></script>
  </body>
</html>
`;

export const docsPagePolicy = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  'connect-src *',
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
