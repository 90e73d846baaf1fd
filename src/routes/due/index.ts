import { createRouter } from '../router.js';
import { listDistrictDueStepsRoute } from './list-district-due.js';
import { listStationDueStepsRoute } from './list-station-due.js';
import { listUnitDueStepsRoute } from './list-unit-due.js';

export const dueRoutes = createRouter().route('/', listStationDueStepsRoute).route('/', listDistrictDueStepsRoute).route('/', listUnitDueStepsRoute);
