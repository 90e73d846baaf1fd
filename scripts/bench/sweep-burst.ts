import pg from 'pg';
import { escalationBatch } from '../../src/scheduled.js';
import { seedScaleTenant } from './seed-scale.js';

/**
 * npm run bench:sweep-burst: 100,000 steps fall overdue at once (issue #13: they must clear
 * within 2 minutes). On the server at DATABASE_URL (its owner; a database of its own): a
 * benchmark unit is seeded, 100k of its pending steps get an escalation chain and a deadline a
 * minute ago, and the escalation sweep's SQL runs as the minute job does (batches of 500 until
 * one comes back short or the budget is spent), minute after minute, until none is left.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the owner of a database of its own');
const burst = Number(process.env.SWEEP_BURST ?? 100_000);
// Four pending steps on each new case, two on each under investigation, none on a closed one: two a case.
const tenant = await seedScaleTenant(url, Math.ceil(burst / 2), (line) => console.log(line));
const client = new pg.Client({ connectionString: url });
await client.connect();
const chain = { escalation: [{ role: 'station_house_officer', afterMinutes: 0 }, { role: 'district_supervisor', afterMinutes: 60 }] };
const { rowCount } = await client.query(
  `UPDATE case_steps s SET definition = s.definition || $2::jsonb, due_at = now() - interval '1 minute', next_escalation_at = now() - interval '1 minute', escalation_level = 0
    WHERE s.id IN (SELECT id FROM case_steps WHERE unit_id = (SELECT id FROM units WHERE code = $1) AND status = 'pending' LIMIT $3)`,
  [tenant.unitCode, JSON.stringify(chain), burst],
);
console.log(`${rowCount} steps overdue at once`);
const started = Date.now();
for (let minute = 1; minute <= 5; minute += 1) {
  const minuteStarted = Date.now();
  let escalated = 0;
  let last: number;
  do {
    const { rows } = await client.query('SELECT app.escalate_overdue_steps(now(), $1) AS escalated', [escalationBatch.size]);
    last = Number(rows[0].escalated);
    escalated += last;
  } while (last >= escalationBatch.size && Date.now() - minuteStarted < escalationBatch.budgetMs);
  console.log(`minute ${minute}: ${escalated} escalated in ${((Date.now() - minuteStarted) / 1000).toFixed(1)} s`);
  const { rows } = await client.query(`SELECT count(*)::int AS left FROM case_steps WHERE unit_id = (SELECT id FROM units WHERE code = $1) AND status = 'pending' AND next_escalation_at <= now()`, [tenant.unitCode]);
  if (rows[0].left === 0) {
    console.log(`all ${rowCount} escalated within ${minute} sweep minute(s), ${((Date.now() - started) / 1000).toFixed(1)} s of sweeping`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 60_000 - (Date.now() - minuteStarted))));
}
await client.end();
