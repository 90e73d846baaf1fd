import { createRouter } from '../router.js';
import { addEvidenceRoute } from './add-evidence.js';
import { getCaseSopRoute } from './get-case-sop.js';
import { migrateCaseSopRoute } from './migrate-case-sop.js';
import { recordSafetyScreenRoute } from './record-safety-screen.js';
import { recordStepOutcomeRoute } from './record-step-outcome.js';
import { addIdentifierRoute } from './add-identifier.js';
import { addNoteRoute } from './add-note.js';
import { addPaymentRoute } from './add-payment.js';
import { addReferenceRoute } from './add-reference.js';
import { assignCaseRoute } from './assign-case.js';
import { getCaseTimelineRoute } from './get-case-timeline.js';
import { getCaseRoute } from './get-case.js';
import { getEvidenceRoute } from './get-evidence.js';
import { listCasesRoute } from './list-cases.js';
import { listEvidenceRoute } from './list-evidence.js';
import { recordCustodyRoute } from './record-custody.js';
import { reportCaseRoute } from './report-case.js';
import { transferCaseRoute } from './transfer-case.js';
import { transitionCaseRoute } from './transition-case.js';
import { updateCaseRoute } from './update-case.js';

export const caseRoutes = createRouter()
  .route('/', reportCaseRoute)
  .route('/', listCasesRoute)
  .route('/', getCaseRoute)
  .route('/', updateCaseRoute)
  .route('/', transitionCaseRoute)
  .route('/', transferCaseRoute)
  .route('/', assignCaseRoute)
  .route('/', addIdentifierRoute)
  .route('/', addPaymentRoute)
  .route('/', recordSafetyScreenRoute)
  .route('/', addReferenceRoute)
  .route('/', addNoteRoute)
  .route('/', getCaseTimelineRoute)
  .route('/', addEvidenceRoute)
  .route('/', listEvidenceRoute)
  .route('/', getEvidenceRoute)
  .route('/', recordCustodyRoute)
  .route('/', getCaseSopRoute)
  .route('/', recordStepOutcomeRoute)
  .route('/', migrateCaseSopRoute);
