import { createSopClient, type components } from '@sextortion-sop/client';
import { currentSession, endSession, type SignInOption } from '../auth/session';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type FieldErrors = { pointer: string; detail: string }[];

/** The typed client of clients/typescript, on this origin, with the signed-in officer's token. */
export const api = createSopClient({
  baseUrl: location.origin,
  accessToken: () => currentSession()?.accessToken ?? '',
  retry: { maxRetries: 2, maxDelaySeconds: 10 },
});

/** A refusal from the API, with its problem (RFC 9457): `errors` point at the fields. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get fieldErrors(): FieldErrors {
    return (this.problem.errors ?? []) as FieldErrors;
  }
}

/** The data of an answer, or the problem thrown. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    // The token expired or was revoked: back to the sign-in page.
    if (response.status === 401) endSession();
    const problem = (error && typeof error === 'object' ? error : { title: response.statusText, status: response.status, code: 'internal_error' }) as Problem;
    throw new ApiProblem(problem);
  }
  return data as T;
}

/** Where the officers of each unit sign in (public: no token). */
export const listSignInOptions = async (): Promise<SignInOption[]> => (await answer(api.GET('/v1/sign-in'))).data;
