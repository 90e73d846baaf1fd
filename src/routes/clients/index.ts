import { createRouter } from '../router.js';
import { createClientRoute } from './create-client.js';
import { listClientsRoute } from './list-clients.js';
import { revokePreviousClientSecretRoute } from './revoke-previous-client-secret.js';
import { rotateClientSecretRoute } from './rotate-client-secret.js';
import { updateClientRoute } from './update-client.js';

export const clientRoutes = createRouter()
  .route('/', listClientsRoute)
  .route('/', createClientRoute)
  .route('/', updateClientRoute)
  .route('/', rotateClientSecretRoute)
  .route('/', revokePreviousClientSecretRoute);
