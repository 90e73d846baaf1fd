import { createRouter } from '../router.js';
import { createSopDraftRoute } from './create-sop-draft.js';
import { diffSopsRoute } from './diff-sops.js';
import { getSopRoute } from './get-sop.js';
import { listSopsRoute } from './list-sops.js';
import { publishSopRoute } from './publish-sop.js';
import { updateSopDraftRoute } from './update-sop-draft.js';
import { validateSopRoute } from './validate-sop.js';

export const sopRoutes = createRouter()
  .route('/', listSopsRoute)
  .route('/', getSopRoute)
  .route('/', createSopDraftRoute)
  .route('/', updateSopDraftRoute)
  .route('/', validateSopRoute)
  .route('/', publishSopRoute)
  .route('/', diffSopsRoute);
