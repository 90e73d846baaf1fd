import { createRouter } from '../router.js';
import { listAuditCheckpointsRoute } from './list-audit-checkpoints.js';
import { listAuditEventsRoute } from './list-audit-events.js';
import { verifyAuditChainRoute } from './verify-audit-chain.js';
import { verifyAuditCheckpointRoute } from './verify-audit-checkpoint.js';

export const auditRoutes = createRouter()
  .route('/', listAuditEventsRoute)
  .route('/', verifyAuditChainRoute)
  .route('/', listAuditCheckpointsRoute)
  .route('/', verifyAuditCheckpointRoute);
