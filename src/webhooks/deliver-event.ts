import { checkOutboundUrl, guardedPost, OutboundRefusedError, OutboundTimeoutError, type OutboundPolicy } from '../net/outbound-url.js';
import { signDelivery } from './sign-delivery.js';

export interface EventDelivery {
  url: string;
  /** The current secret first, then any previous one still honoured while a rotation overlaps. */
  secrets: readonly string[];
  messageId: string;
  /** When this attempt is sent, from the caller's clock. */
  timestamp: Date;
  body: string;
  policy: OutboundPolicy;
}

/**
 * delivered: the receiver answered 2xx. failed: any other answer, a redirect (not followed), a
 * timeout or a network error; worth retrying. refused: the URL, or what its name resolves to,
 * is one the API never sends to; retrying changes nothing until the subscription's URL does.
 */
export interface DeliveryResult {
  outcome: 'delivered' | 'failed' | 'refused';
  status?: number;
  error?: string;
  durationMs: number;
}

/** One signed attempt of one message. Whatever the receiver does, it resolves with a result. */
export async function deliverEvent({ url, secrets, messageId, timestamp, body, policy }: EventDelivery): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const checked = checkOutboundUrl(url, policy);
  if (!checked.ok) return { outcome: 'refused', error: `the URL ${checked.reason}`, durationMs: elapsed() };
  const headers = signDelivery({ messageId, timestamp, body, secrets });
  try {
    const response = await guardedPost(checked.url, policy, { headers: { ...headers }, body });
    const outcome = response.status >= 200 && response.status < 300 ? 'delivered' : 'failed';
    return { outcome, status: response.status, ...(outcome === 'failed' && { error: `the receiver answered ${response.status}` }), durationMs: elapsed() };
  } catch (error) {
    if (error instanceof OutboundRefusedError && error.answerStatus === undefined) return { outcome: 'refused', error: error.message, durationMs: elapsed() };
    const status = error instanceof OutboundRefusedError ? error.answerStatus : undefined;
    return { outcome: 'failed', ...(status !== undefined && { status }), error: describeFailure(error), durationMs: elapsed() };
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof OutboundTimeoutError || error instanceof OutboundRefusedError) return error.message;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `the request failed (${error.message}${cause})`;
  }
  return 'the request failed';
}
