import { createRouter } from '../router.js';
import { getHealth } from './get-health.js';

export const healthRoutes = createRouter().route('/', getHealth);
