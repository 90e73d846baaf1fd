import { createRouter } from '../router.js';
import { listStations } from './list-stations.js';

export const stationRoutes = createRouter().route('/', listStations);
