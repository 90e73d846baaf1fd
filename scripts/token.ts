import { parseArgs } from 'node:util';
import { roles } from '../src/auth/roles.js';
import { mintDevToken } from './dev-identity.js';

/** Prints a token the local API (npm start) accepts: npm run token -- --unit MH --station MH-PUNE-SHIVAJINAGAR --role investigating_officer */
const { values } = parseArgs({
  options: {
    unit: { type: 'string' },
    district: { type: 'string' },
    station: { type: 'string' },
    role: { type: 'string', multiple: true, default: ['investigating_officer'] },
    sub: { type: 'string', default: 'demo-officer' },
    hours: { type: 'string', default: '12' },
  },
});

const unknown = values.role.filter((role) => !(roles as string[]).includes(role));
if (unknown.length > 0) {
  console.error(`unknown role(s): ${unknown.join(', ')}; known: ${roles.join(', ')}`);
  process.exit(2);
}

console.log(
  await mintDevToken(
    { sub: values.sub, roles: values.role, unit: values.unit, district: values.district, station: values.station },
    Number(values.hours),
  ),
);
