import { z } from '@hono/zod-openapi';
import type { LetterTemplateRow } from '../../db/queries/letter-templates.js';
import { timestampSchema, toRfc3339, unitPathSchema } from '../../http/schemas.js';
import { LETTER_PLACEHOLDERS } from '../../requests/letter.js';
import { REQUEST_KINDS } from '../../requests/request-workflow.js';

export const MAX_TEMPLATE_LENGTH = 20_000;

/** The placeholders as a template writes them, for descriptions and messages. */
export const knownPlaceholdersText = LETTER_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ');

export const requestKindSchema = z.enum(REQUEST_KINDS).openapi({ example: 'takedown' });

export const letterTemplatePathSchema = unitPathSchema.extend({ kind: requestKindSchema.openapi({ param: { name: 'kind', in: 'path' } }) });

export const letterTemplateInputSchema = z
  .object({
    body: z
      .string()
      .trim()
      .min(1)
      .max(MAX_TEMPLATE_LENGTH)
      .openapi({
        description: `The letter, with placeholders the draft fills from the case: ${knownPlaceholdersText}. Any other \`{{…}}\` is refused.`,
        example: 'To: {{platform.name}}\nSubject: Removal of intimate content, case {{case.reference}}\n\n{{identifiers}}\n\n{{officer}}\n{{today}}',
      }),
  })
  .strict()
  .openapi('LetterTemplateInput');

export const letterTemplateSchema = z
  .object({
    kind: requestKindSchema,
    body: z.string(),
    source: z.enum(['shipped', 'unit']).openapi({ description: '`unit`: the unit\'s own template (which If-Match names); `shipped`: the default.' }),
    version: z.number().int(),
    updatedAt: timestampSchema,
  })
  .openapi('LetterTemplate');

export function toLetterTemplate(row: LetterTemplateRow): z.infer<typeof letterTemplateSchema> {
  return { kind: row.kind, body: row.body, source: row.source, version: row.version, updatedAt: toRfc3339(row.updatedAt) };
}

/**
 * Every `{{…}}` the template writes whose name no letter fills, each once. Wider than what
 * fillTemplate recognises on purpose: `{{platform-name}}` is a typo to refuse here, not text
 * to leave in a letter.
 */
export function unknownPlaceholdersIn(body: string): string[] {
  const known = new Set<string>(LETTER_PLACEHOLDERS);
  const unknown = new Set<string>();
  for (const match of body.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const name = match[1]!.trim();
    if (!known.has(name)) unknown.add(name);
  }
  return [...unknown];
}
