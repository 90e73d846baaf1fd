import { migrateDatabase } from '../local-db/migrate.js';
import { seedScaleTenant } from './seed-scale.js';

/**
 * npm run bench:seed: only the benchmark's scale units, timed. DATABASE_URL names a server
 * database (its owner), migrated first; BENCH_SIZES the units (default 100000,1000000). The
 * units stay for npm run bench, which reuses them.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to the owner\'s connection string of a database of its own, e.g. postgres://postgres@127.0.0.1:5432/bench');
  process.exit(2);
}
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
await migrateDatabase(url);
for (const size of sizes) {
  const tenant = await seedScaleTenant(url, size, console.log);
  console.log(tenant.seededSeconds ? `${size.toLocaleString('en')} cases seeded in ${tenant.seededSeconds.toFixed(1)} s` : `${size.toLocaleString('en')} cases were already there`);
}
