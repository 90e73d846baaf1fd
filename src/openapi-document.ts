import { stringify } from 'yaml';
import { createApp, openApiInfo } from './app.js';
import { withDeclaredHeaders } from './http/response-headers.js';

/** The contract as generated from the route definitions; openapi.yaml is this, committed. */
export function renderOpenApiYaml(): string {
  const document = withDeclaredHeaders(withFormatsSpelledOut(withPatternsAsSource(createApp().getOpenAPI31Document(openApiInfo))));
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * zod-to-openapi writes a zod regex as `regex.toString()` less its first and last slash, so a
 * regex with flags leaves `/u` on the end of its pattern. A RegExp source cannot end in an
 * unescaped `/`, so one followed only by flag letters is where the flags begin. JSON Schema
 * patterns are Unicode already; any other flag changes what matches and has no JSON Schema
 * spelling, so a regex must do without it.
 */
function withPatternsAsSource<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withPatternsAsSource) as T;
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === 'pattern' && typeof value === 'string' ? patternWithoutFlags(value) : withPatternsAsSource(value)]),
  ) as T;
}

function patternWithoutFlags(written: string): string {
  const flagged = /^(.*)\/([dgimsuvy]*)$/s.exec(written);
  if (!flagged) return written;
  const [, source, flags] = flagged as unknown as [string, string, string];
  const slashIsEscaped = /\\*$/.exec(source)![0].length % 2 === 1;
  if (slashIsEscaped) return written;
  const inexpressible = flags.replace(/[uv]/g, '');
  if (inexpressible) throw new Error(`the regex /${source}/${flags} cannot be a JSON Schema pattern: write it without the ${inexpressible} flag`);
  return source;
}

const int32 = { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 };

/**
 * What the zod checks already imply, written where OpenAPI tools look for it: an integer's format
 * (int32 when its bounds fit, else int64, which holds every safe integer zod's `.int()` allows), and a
 * uuid's length (zod's uuid check accepts only the 36-character form).
 */
function withFormatsSpelledOut<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withFormatsSpelledOut) as T;
  if (node === null || typeof node !== 'object') return node;
  const schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withFormatsSpelledOut(value)])) as Record<string, unknown>;
  const types = [schema.type].flat();
  if (types.includes('integer') && schema.format === undefined) {
    const fits = typeof schema.minimum === 'number' && typeof schema.maximum === 'number' && schema.minimum >= int32.minimum && schema.maximum <= int32.maximum;
    schema.format = fits ? 'int32' : 'int64';
  }
  if (types.includes('string') && schema.format === 'uuid' && schema.maxLength === undefined) schema.maxLength = 36;
  return schema as T;
}
