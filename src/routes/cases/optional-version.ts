import { expectedVersion } from '../../http/etag.js';

/** For operations where If-Match is a choice (transitions, transfers): absent means any version. */
export function optionalVersion(ifMatch: string | undefined): number[] | null {
  return ifMatch === undefined ? null : expectedVersion(ifMatch);
}
