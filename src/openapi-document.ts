import { stringify } from 'yaml';
import { createApp, openApiInfo } from './app.js';

/** The contract as generated from the route definitions; openapi.yaml is this, committed. */
export function renderOpenApiYaml(): string {
  const document = createApp().getOpenAPI31Document(openApiInfo);
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
