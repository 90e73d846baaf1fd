import { createStore, useStore } from './store';

/**
 * Hash routes (#/cases/<id>), so the Worker serves one static page at /app/ and every view
 * still has an address an officer can bookmark or pass on.
 */
export type Route =
  | { page: 'home' }
  | { page: 'intake' }
  | { page: 'cases' }
  | { page: 'case'; caseId: string }
  | { page: 'due' }
  | { page: 'supervisor' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const caseMatch = /^\/cases\/([0-9a-f-]{36})$/.exec(path);
  if (caseMatch) return { page: 'case', caseId: caseMatch[1]! };
  if (path === '/intake') return { page: 'intake' };
  if (path === '/cases') return { page: 'cases' };
  if (path === '/due') return { page: 'due' };
  if (path === '/supervisor') return { page: 'supervisor' };
  return { page: 'home' };
}

const route = createStore(parseRoute(location.hash));
addEventListener('hashchange', () => route.set(parseRoute(location.hash)));

export const useRoute = () => useStore(route);
export const hrefOf = {
  home: '#/',
  intake: '#/intake',
  cases: '#/cases',
  due: '#/due',
  supervisor: '#/supervisor',
  case: (caseId: string) => `#/cases/${caseId}`,
};
export const navigate = (href: string) => {
  location.hash = href.replace(/^#/, '');
};
