import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { replayMonth } from './replay.js';
import { markdown, summarize } from './summary.js';

/**
 * npm run bench:month [-- --small | --days 30 --reports-per-day 100 --seed 12 --start 2030-03-01T00:00:00Z --driver neon|pg --out bench]
 * Replays a month of Pune City's sextortion reports through the API and the minute sweeps at
 * simulated time, and writes bench/month-results.json and bench/month-results.md. DATABASE_URL
 * picks a Postgres server (its owner); without it, the embedded database.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const { values } = parseArgs({
  options: {
    days: { type: 'string' },
    'reports-per-day': { type: 'string' },
    /** Two days of 20 reports: a couple of minutes on the embedded database (CI, a first look). */
    small: { type: 'boolean', default: false },
    seed: { type: 'string', default: '12' },
    start: { type: 'string', default: '2030-03-01T00:00:00Z' },
    out: { type: 'string', default: 'bench' },
    driver: { type: 'string', default: 'neon' },
  },
});
const outcome = await replayMonth({
  days: Number(values.days ?? (values.small ? 2 : 30)),
  reportsPerDay: Number(values['reports-per-day'] ?? (values.small ? 20 : 100)),
  seed: Number(values.seed),
  start: new Date(values.start!),
  driver: values.driver === 'pg' ? 'pg' : 'neon',
  databaseUrl: process.env.DATABASE_URL || undefined,
  log: (line) => console.log(line),
});
const results = summarize(outcome);
const outDir = resolve(root, values.out!);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'month-results.json'), `${JSON.stringify(results, null, 2)}\n`);
const summary = markdown(results);
writeFileSync(join(outDir, 'month-results.md'), summary);
console.log(`\n${summary}`);
for (const mismatch of results.metrics.everyMismatch) console.log(`metric mismatch: ${mismatch.where} ${mismatch.field}: API ${JSON.stringify(mismatch.api)}, replay ${JSON.stringify(mismatch.truth)}`);
console.log(`written: ${values.out}/month-results.json, ${values.out}/month-results.md`);
process.exit(0);
