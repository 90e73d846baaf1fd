import { createRouter } from '../router.js';
import { getCallerRoute } from './get-me.js';

export const callerRoutes = createRouter().route('/', getCallerRoute);
