import { createRouter } from '../router.js';
import { createDistrictRoute } from './create-district.js';
import { listDistrictsRoute } from './list-districts.js';
import { updateDistrictRoute } from './update-district.js';

export const districtRoutes = createRouter().route('/', listDistrictsRoute).route('/', createDistrictRoute).route('/', updateDistrictRoute);
