import { createRouter } from '../router.js';
import { deletePlatformRoute } from './delete-platform.js';
import { getPlatformRoute } from './get-platform.js';
import { listPlatformsRoute } from './list-platforms.js';
import { putPlatformRoute } from './put-platform.js';

export const platformRoutes = createRouter()
  .route('/', listPlatformsRoute)
  .route('/', getPlatformRoute)
  .route('/', putPlatformRoute)
  .route('/', deletePlatformRoute);
