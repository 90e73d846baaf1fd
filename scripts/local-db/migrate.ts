import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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
 * Repeatable definitions, in the manner of Flyway's repeatable migrations: after the versioned
 * migrations, every file whose checksum differs from the one recorded is applied again (all in
 * one transaction). Bodies are checked when first called, so files need no order among them.
 */
async function applySqlDefinitions(client: pg.Client): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS drizzle.sql_definitions (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM drizzle.sql_definitions');
  const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
  const changed = sqlDefinitionFiles().filter((file) => recorded.get(file.name) !== file.checksum);
  if (changed.length === 0) return [];
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL check_function_bodies = off');
    for (const file of changed) {
      await client.query(file.text);
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
  return changed.map((file) => file.name);
}

/** Applies pending migrations, then changed SQL definitions, as the owner (the role that will own the tables). */
export async function migrateDatabase(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("SET client_min_messages = 'warning'");
    await migrate(drizzle(client), { migrationsFolder });
    await applySqlDefinitions(client);
  } finally {
    await client.end();
  }
}
