import { createRouter } from '../router.js';
import { createUnitRoute } from './create-unit.js';
import { getUnitRoute } from './get-unit.js';
import { listUnitsRoute } from './list-units.js';

export const unitRoutes = createRouter().route('/', listUnitsRoute).route('/', createUnitRoute).route('/', getUnitRoute);
