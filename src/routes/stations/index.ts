import { createRouter } from '../router.js';
import { createStationRoute } from './create-station.js';
import { listStations } from './list-stations.js';
import { updateStationRoute } from './update-station.js';

export const stationRoutes = createRouter().route('/', listStations).route('/', createStationRoute).route('/', updateStationRoute);
