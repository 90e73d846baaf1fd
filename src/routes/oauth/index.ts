import { createRouter } from '../router.js';
import { issueTokenRoute } from './issue-token.js';

export const oauthRoutes = createRouter().route('/', issueTokenRoute);
