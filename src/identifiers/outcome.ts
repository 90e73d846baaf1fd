/** What a normaliser answers: the normalised value, or why the input is not one. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: string };
