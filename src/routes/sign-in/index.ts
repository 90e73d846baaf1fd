import { createRouter } from '../router.js';
import { listSignInOptionsRoute } from './list-sign-in-options.js';

export const signInRoutes = createRouter().route('/', listSignInOptionsRoute);
