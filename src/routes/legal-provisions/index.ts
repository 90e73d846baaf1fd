import { createRouter } from '../router.js';
import { listLegalProvisionsRoute } from './list-legal-provisions.js';

export const legalProvisionRoutes = createRouter().route('/', listLegalProvisionsRoute);
