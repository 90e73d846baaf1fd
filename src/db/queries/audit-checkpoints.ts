import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

export type ChainHeadToCheckpoint = { unitId: string; unitCode: string; sequence: string | number; hash: string };

/** Units whose audit chain moved past its last checkpoint (app.audit_heads_to_checkpoint). */
export function chainHeadsToCheckpoint(db: HttpDatabase, limit: number) {
  return db.execute<ChainHeadToCheckpoint>(sql`
    select h.unit_id as "unitId", h.unit_code as "unitCode", h.sequence, h.hash from app.audit_heads_to_checkpoint(${limit}) h`);
}

export interface SignedCheckpoint {
  unitId: string;
  sequence: number;
  hash: string;
  signedAt: string;
  keyId: string;
  checkpoint: string;
}

/** Stores signed checkpoints, each only where the chain holds that hash at that sequence. */
export function recordAuditCheckpoints(db: HttpDatabase, checkpoints: readonly SignedCheckpoint[]) {
  const rows = checkpoints.map((c) => ({ unit_id: c.unitId, sequence: c.sequence, hash: c.hash, signed_at: c.signedAt, key_id: c.keyId, checkpoint: c.checkpoint }));
  return db.execute<{ recorded: number }>(sql`select app.record_audit_checkpoints(${JSON.stringify(rows)}::jsonb) as recorded`);
}

export type AuditCheckpointRow = { sequence: string | number; hash: string; signedAt: string; keyId: string; checkpoint: string };

/** A unit's checkpoints, newest first (row-level security: the unit's own, at unit level). */
export function listAuditCheckpoints(db: HttpDatabase, unitCode: string, page: { beforeSequence?: number; limit: number }) {
  return db.execute<AuditCheckpointRow>(sql`
    select c.sequence, c.hash, c.signed_at as "signedAt", c.key_id as "keyId", c.checkpoint
      from audit_checkpoints c join units u on u.id = c.unit_id
     where u.code = ${unitCode} ${page.beforeSequence === undefined ? sql`` : sql`and c.sequence < ${page.beforeSequence}`}
     order by c.sequence desc limit ${page.limit + 1}`);
}
