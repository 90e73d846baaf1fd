import { toRfc3339 } from '../http/schemas.js';
import type { EventType } from './catalogue.js';

/** An outbox row as the feed and the delivery work read it. */
export interface StoredEvent {
  id: string;
  type: string;
  occurredAt: string | Date;
  caseId: string | null;
  districtId: string | null;
  stationId: string | null;
  payload: Record<string, unknown>;
}

/** What a receiver gets, by push or by pull: the same envelope, whose id is the webhook-id of every delivery. */
export interface EventEnvelope {
  id: string;
  type: EventType;
  occurredAt: string;
  caseId: string | null;
  districtId: string | null;
  stationId: string | null;
  data: Record<string, unknown>;
}

export function toEventEnvelope(event: StoredEvent): EventEnvelope {
  return {
    id: event.id,
    type: event.type as EventType,
    occurredAt: toRfc3339(event.occurredAt),
    caseId: event.caseId,
    districtId: event.districtId,
    stationId: event.stationId,
    data: event.payload,
  };
}
