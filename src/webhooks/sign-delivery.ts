import { Webhook } from 'standardwebhooks';
import { checkSigningSecret } from './signing-secret.js';

export interface DeliveryHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'content-type': 'application/json';
}

export interface DeliveryToSign {
  messageId: string;
  /** When this attempt is sent, from the caller's clock: each attempt is signed with its own time. */
  timestamp: Date;
  body: string;
  /** The current secret first, then any previous one still honoured while a rotation overlaps. */
  secrets: readonly string[];
}

/**
 * The Standard Webhooks headers for one attempt: one `v1,<signature>` per secret, separated by
 * spaces, so a receiver that still holds the previous secret keeps verifying during a rotation.
 */
export function signDelivery({ messageId, timestamp, body, secrets }: DeliveryToSign): DeliveryHeaders {
  if (secrets.length === 0) throw new Error('a delivery needs at least one signing secret');
  if (Number.isNaN(timestamp.getTime())) throw new RangeError('the delivery timestamp is not a valid date');
  for (const secret of secrets) {
    const check = checkSigningSecret(secret);
    if (!check.ok) throw new Error(`a signing secret ${check.reason}`);
  }
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
    'content-type': 'application/json',
  };
}
