import { answer, api, type Schemas } from './api/client';
import { createStore } from './store';

type Caller = Schemas['Caller'];
type FeedEvent = Schemas['IntegrationEvent'];

/** Bumped whenever the feed brings something a board shows: boards read again. */
export const feedChanges = createStore(0);
/** Steps escalated to one of the viewer's roles since the page opened, newest first. */
export const escalationsToMe = createStore<FeedEvent[]>([]);
export const feedState = createStore<'starting' | 'live' | 'retrying'>('starting');

const watched = ['step.due_soon', 'step.overdue', 'step.escalated', 'step.completed', 'checklist.changed', 'case.reported', 'case.transferred', 'request.approved', 'request.sent'];
const cursorKey = (caller: Caller) => `sop.feed.${caller.issuer}.${caller.subject}`;

export const notificationsAllowed = () => 'Notification' in window && Notification.permission === 'granted';

async function read(after: string | undefined, wait: string, limit: number) {
  return answer(api.GET('/v1/events', { params: { query: { after, types: watched.join(','), wait, limit } } }));
}

/**
 * Follows GET /v1/events: catches up silently from where this officer's browser left off (or
 * from the beginning), then long-polls. A step escalated to one of the viewer's roles raises a
 * browser notification when the officer allowed them, and always shows on the due board.
 */
export async function followEventFeed(caller: Caller, notify: (event: FeedEvent) => void, signal: AbortSignal): Promise<void> {
  let cursor = localStorage.getItem(cursorKey(caller)) ?? undefined;
  let caughtUp = false;
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (!caughtUp) {
        const page = await read(cursor, '0', 500);
        cursor = page.nextCursor;
        caughtUp = !page.hasMore;
        if (caughtUp) {
          localStorage.setItem(cursorKey(caller), cursor);
          feedState.set('live');
        }
        continue;
      }
      const page = await read(cursor, '25s', 100);
      failures = 0;
      feedState.set('live');
      cursor = page.nextCursor;
      localStorage.setItem(cursorKey(caller), cursor);
      if (page.data.length === 0) continue;
      for (const event of page.data) {
        const role = event.type === 'step.escalated' ? (event.data as { role?: string }).role : undefined;
        if (role && (caller.roles as string[]).includes(role)) {
          escalationsToMe.set([event, ...escalationsToMe.get()].slice(0, 50));
          notify(event);
        }
      }
      feedChanges.set(feedChanges.get() + 1);
    } catch {
      failures += 1;
      feedState.set('retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** failures)));
    }
  }
}
