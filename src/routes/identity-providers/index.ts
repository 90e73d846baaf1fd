import { createRouter } from '../router.js';
import { getIdentityProviderStatusRoute } from './get-identity-provider-status.js';
import { listIdentityProvidersRoute } from './list-identity-providers.js';
import { registerIdentityProviderRoute } from './register-identity-provider.js';
import { removeIdentityProviderRoute } from './remove-identity-provider.js';
import { updateIdentityProviderRoute } from './update-identity-provider.js';

export const identityProviderRoutes = createRouter()
  .route('/', listIdentityProvidersRoute)
  .route('/', registerIdentityProviderRoute)
  .route('/', updateIdentityProviderRoute)
  .route('/', removeIdentityProviderRoute)
  .route('/', getIdentityProviderStatusRoute);
