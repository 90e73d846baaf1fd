import { createRouter } from '../router.js';
import { getSopMetricsRoute } from './get-sop-metrics.js';

export const metricsRoutes = createRouter().route('/', getSopMetricsRoute);
