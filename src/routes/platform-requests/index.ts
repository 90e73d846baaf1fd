import { createRouter } from '../router.js';
import { createPlatformRequestRoute } from './create-platform-request.js';
import { getPlatformRequestRoute } from './get-platform-request.js';
import { listPlatformRequestsRoute } from './list-platform-requests.js';
import { transitionPlatformRequestRoute } from './transition-platform-request.js';

export const platformRequestRoutes = createRouter()
  .route('/', createPlatformRequestRoute)
  .route('/', listPlatformRequestsRoute)
  .route('/', getPlatformRequestRoute)
  .route('/', transitionPlatformRequestRoute);
