import { z } from '@hono/zod-openapi';
import type { CustodyEventJson, EvidenceRow } from '../../db/queries/evidence.js';
import { namedOrNull, timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { custodianSchema } from './case-schema.js';

export const EVIDENCE_KINDS = ['screenshot', 'chat_export', 'call_log', 'video', 'audio', 'image', 'document', 'payment_receipt', 'device_image', 'other'] as const;

export const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, '64 hexadecimal characters')
  .transform((hash) => hash.toLowerCase())
  .openapi({ type: 'string', maxLength: 64, example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' });

/** The bytes themselves, base64, when the API is to take the hash (they are not stored). */
export const contentSchema = z.string().max(14_000_000).openapi({ description: 'Base64 of the item (up to about 10 MB); hashed, not stored.' });

export const custodyEventSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['captured', 'handed_over', 'reverified']),
    occurredAt: timestampSchema,
    fromCustodian: namedOrNull(custodianSchema),
    toCustodian: namedOrNull(custodianSchema),
    sha256: z.string().nullable(),
    matches: z.boolean().nullable().openapi({ description: 'For a capture or re-verification: whether the hash found is the hash taken at capture.' }),
    note: z.string().nullable(),
    recordedAt: timestampSchema,
    recordedBy: z.string(),
  })
  .openapi('CustodyEvent');

export const evidenceSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    kind: z.enum(EVIDENCE_KINDS),
    description: z.string(),
    fileName: z.string().nullable(),
    mediaType: z.string().nullable(),
    sizeBytes: z.number().int().nullable(),
    sha256: z.string(),
    hashOrigin: z.enum(['computed', 'supplied']).openapi({ description: '`computed` when the API hashed the bytes it was sent.' }),
    capturedAt: timestampSchema,
    capturedBy: custodianSchema,
    custodian: custodianSchema,
    integrity: z.enum(['intact', 'mismatch']).openapi({ description: '`mismatch` for good once a re-verification found another hash.' }),
    version: z.number().int(),
    recordedAt: timestampSchema,
    recordedBy: z.string(),
    custody: z.array(custodyEventSchema),
  })
  .openapi('EvidenceItem');

export const toCustodyEvent = (event: CustodyEventJson): z.infer<typeof custodyEventSchema> => ({
  ...event,
  fromCustodian: event.fromCustodian as { name: string } | null,
  toCustodian: event.toCustodian as { name: string } | null,
  occurredAt: toRfc3339(event.occurredAt),
  recordedAt: toRfc3339(event.recordedAt),
});

export function toEvidence(row: EvidenceRow): z.infer<typeof evidenceSchema> {
  return {
    id: row.id,
    caseId: row.caseId,
    kind: row.kind as 'other',
    description: row.description,
    fileName: row.fileName,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    sha256: row.sha256,
    hashOrigin: row.hashOrigin,
    capturedAt: toRfc3339(row.capturedAt),
    capturedBy: row.capturedBy as { name: string },
    custodian: row.custodian as { name: string },
    integrity: row.integrity,
    version: row.version,
    recordedAt: toRfc3339(row.recordedAt),
    recordedBy: row.recordedBy,
    custody: row.custody.map(toCustodyEvent),
  };
}
