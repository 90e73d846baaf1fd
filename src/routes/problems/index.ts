import { createRouter } from '../router.js';
import { getProblemPage } from './get-problem-page.js';

export const problemRoutes = createRouter().route('/', getProblemPage);
