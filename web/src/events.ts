import { answer, api, ApiProblem, type Schemas } from './api/client';
import { createStore } from './store';

type Caller = Schemas['Caller'];
type FeedEvent = Schemas['IntegrationEvent'];

/** Bumped whenever the feed brings something a board shows, with the cases it was about: views of them read again. */
export const feedChanges = createStore<{ count: number; caseIds: Set<string> }>({ count: 0, caseIds: new Set() });
/** Steps escalated to one of the viewer's roles since the page opened, newest first. */
export const escalationsToMe = createStore<FeedEvent[]>([]);
export const feedState = createStore<'starting' | 'live' | 'retrying'>('starting');

const watched = [
  'step.due_soon',
  'step.overdue',
  'step.escalated',
  'step.completed',
  'checklist.changed',
  'case.reported',
  'case.transferred',
  'case.assigned',
  'case.status_changed',
  'request.drafted',
  'request.approved',
  'request.sent',
  'request.acknowledged',
  'request.actioned',
  'request.refused',
  'request.expired',
];
const cursorKey = (caller: Caller) => `sop.feed.${caller.issuer}.${caller.subject}`;

async function read(after: string | undefined, wait: string, limit: number, signal: AbortSignal) {
  return answer(api.GET('/v1/events', { params: { query: { after, types: watched.join(','), wait, limit } }, signal }));
}

/**
 * Follows GET /v1/events: catches up silently from where this officer's browser left off (or
 * from the beginning), then long-polls. A step escalated to one of the viewer's roles raises a
 * browser notification when the officer allowed them, and always shows on the due board.
 */
export async function followEventFeed(caller: Caller, notify: (event: FeedEvent) => void, signal: AbortSignal): Promise<void> {
  escalationsToMe.set([]);
  feedState.set('starting');
  let cursor = localStorage.getItem(cursorKey(caller)) ?? undefined;
  let caughtUp = false;
  let failures = 0;
  while (!signal.aborted) {
    let page: Schemas['IntegrationEventFeed'];
    try {
      page = await read(cursor, caughtUp ? '25s' : '0', caughtUp ? 100 : 500, signal);
    } catch (error) {
      if (signal.aborted) return;
      // A cursor of another database (reset since) or of a format gone: start again from the beginning.
      if (error instanceof ApiProblem && error.problem.code === 'invalid_cursor') {
        cursor = undefined;
        localStorage.removeItem(cursorKey(caller));
        continue;
      }
      failures += 1;
      feedState.set('retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** failures)));
      continue;
    }
    if (signal.aborted) return;
    failures = 0;
    cursor = page.nextCursor;
    if (!caughtUp) {
      // The history before this page opened is read silently.
      caughtUp = !page.hasMore;
      if (caughtUp) {
        localStorage.setItem(cursorKey(caller), cursor);
        feedState.set('live');
      }
      continue;
    }
    localStorage.setItem(cursorKey(caller), cursor);
    feedState.set('live');
    if (page.data.length === 0) continue;
    for (const event of page.data) {
      const role = event.type === 'step.escalated' ? (event.data as { role?: string }).role : undefined;
      if (role && (caller.roles as string[]).includes(role)) {
        escalationsToMe.set([event, ...escalationsToMe.get()].slice(0, 50));
        notify(event);
      }
    }
    feedChanges.set({ count: feedChanges.get().count + 1, caseIds: new Set(page.data.map((event) => event.caseId).filter((id): id is string => id !== null)) });
  }
}
