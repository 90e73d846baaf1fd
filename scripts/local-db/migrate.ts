import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));
/** Every SQL function and trigger, one file per concern, each the one current definition. */
export const sqlDefinitionsFolder = fileURLToPath(new URL('../../src/db/sql', import.meta.url));

export interface SqlDefinitionFile {
  name: string;
  text: string;
  checksum: string;
}

export function sqlDefinitionFiles(): SqlDefinitionFile[] {
  return readdirSync(sqlDefinitionsFolder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(sqlDefinitionsFolder, name), 'utf8');
      return { name, text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/**
 * The last versioned migration that still defined functions and triggers itself. Definitions
 * are applied after it and before the later ones, so a later migration (a column default, a
 * policy) may use any function the files define.
 */
export const definitionsBaseline = '0020_cases_unit_status_index';

/** Applies the versioned migrations up to `lastTag` (all without it), drizzle-kit's journal order. */
async function applyVersionedMigrations(client: pg.Client, lastTag?: string): Promise<void> {
  if (!lastTag) return migrate(drizzle(client), { migrationsFolder });
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const folder = mkdtempSync(join(tmpdir(), 'migrations-'));
  try {
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((entry) => entry.tag === lastTag) + 1);
    mkdirSync(join(folder, 'meta'));
    writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal));
    for (const entry of journal.entries) copyFileSync(join(migrationsFolder, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
    await migrate(drizzle(client), { migrationsFolder: folder });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Repeatable definitions, in the manner of Flyway's repeatable migrations: every file whose
 * checksum differs from the one recorded is applied again, in one transaction. Bodies are
 * checked when first called, so files need no order among them. `beforeLaterMigrations`: a
 * file that cannot be applied yet (a trigger on a table a later migration creates) waits for
 * the pass after them.
 */
async function applySqlDefinitions(client: pg.Client, beforeLaterMigrations: boolean): Promise<void> {
  await client.query('CREATE SCHEMA IF NOT EXISTS drizzle');
  await client.query(`CREATE TABLE IF NOT EXISTS drizzle.sql_definitions (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM drizzle.sql_definitions');
  const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
  const changed = sqlDefinitionFiles().filter((file) => recorded.get(file.name) !== file.checksum);
  if (changed.length === 0) return;
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL check_function_bodies = off');
    for (const file of changed) {
      if (beforeLaterMigrations) await client.query('SAVEPOINT definition');
      try {
        await client.query(file.text);
      } catch (error) {
        if (!beforeLaterMigrations) throw new Error(`src/db/sql/${file.name}: ${(error as Error).message}`, { cause: error });
        await client.query('ROLLBACK TO SAVEPOINT definition');
        continue;
      }
      await client.query(
        `INSERT INTO drizzle.sql_definitions (name, checksum) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`,
        [file.name, file.checksum],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * Applies, as the owner (the role that will own the tables): the versioned migrations up to the
 * baseline, the SQL definitions, the later versioned migrations, and any definition that had
 * to wait for them.
 */
export async function migrateDatabase(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("SET client_min_messages = 'warning'");
    await applyVersionedMigrations(client, definitionsBaseline);
    await applySqlDefinitions(client, true);
    await applyVersionedMigrations(client);
    await applySqlDefinitions(client, false);
  } finally {
    await client.end();
  }
}
