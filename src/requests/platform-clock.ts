import type { RequestKind } from '../sop/vocabulary.js';

/**
 * The platform's clock, apart from the police's: once a request is sent, the platform owes its
 * answer within the statutory time for the kind of request, or the directory's turnaround for
 * that platform where it is shorter (or where no statute sets one). A police takedown order is
 * an order under rule 3(1)(d) (36 h); a preservation or data request a lawful request for
 * information under rule 3(1)(j) (72 h). Missing it raises the platform follow-up step.
 */
export const PLATFORM_DEADLINE_PROVISIONS: Partial<Record<RequestKind, string>> = {
  takedown: 'IT-RULES-2021-3-1-D',
  preservation: 'IT-RULES-2021-3-1-J',
  preservation_extension: 'IT-RULES-2021-3-1-J',
  data_disclosure: 'IT-RULES-2021-3-1-J',
};
