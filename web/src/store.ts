import { useEffect, useState } from 'preact/hooks';

/** A value the whole app watches: the signed-in caller, the language, the live event feed. */
export function createStore<T>(initial: T) {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const listener of listeners) listener(value);
    },
    subscribe(listener: (value: T) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export type Store<T> = ReturnType<typeof createStore<T>>;

export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get());
  useEffect(() => store.subscribe(setValue), [store]);
  return value;
}

/** The current time, ticking every second: for countdowns. */
const clock = createStore(Date.now());
setInterval(() => clock.set(Date.now()), 1000);
export const useNow = () => useStore(clock);
