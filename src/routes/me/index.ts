import { createRouter } from '../router.js';
import { getCallerRoute } from './get-caller.js';

export const callerRoutes = createRouter().route('/', getCallerRoute);
