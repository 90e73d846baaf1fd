import { migrateDatabase } from './local-db/migrate.js';

/** npm run db:migrate: applies migrations to MIGRATION_DATABASE_URL (the owner's connection, e.g. Neon's direct URL). */
const url = process.env.MIGRATION_DATABASE_URL;
if (!url) {
  console.error('Set MIGRATION_DATABASE_URL to the database owner\'s connection string.');
  process.exit(2);
}
await migrateDatabase(url);
console.log('Migrations applied.');
