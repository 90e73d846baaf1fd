import { createRouter } from '../router.js';
import { listCasesByIdentifierRoute } from './list-cases-by-identifier.js';

export const identifierRoutes = createRouter().route('/', listCasesByIdentifierRoute);
