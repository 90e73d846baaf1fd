/// <reference types="vite/client" />
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { withWebSocketDatabase } from '../../src/db/client.js';
import { customSqlStates } from '../../src/db/sqlstates.js';
import { ownerConfig } from '../support/config.js';

const definitionFiles = import.meta.glob<string>('../../src/db/sql/*.sql', { query: '?raw', import: 'default', eager: true });
const migrationFiles = import.meta.glob<string>('../../migrations/*.sql', { query: '?raw', import: 'default', eager: true });
/** The last migration written before functions and triggers moved to src/db/sql/. */
const lastMigrationWithDefinitions = '0020';

const definitionStatement = /create\s+(?:or\s+replace\s+)?(?:constraint\s+)?(function|trigger|view|procedure|materialized\s+view)\s+("?[\w.]+"?)/gi;

function definedIn(text: string): Array<{ kind: string; name: string }> {
  const withoutComments = text.replace(/--[^\n]*/g, '');
  return [...withoutComments.matchAll(definitionStatement)].map((match) => ({ kind: match[1]!.toLowerCase(), name: match[2]!.replaceAll('"', '') }));
}

type Definition = { name: string; definition: string };

const currentDefinitions = sql`
  select p.oid::regprocedure::text as name, pg_get_functiondef(p.oid) as definition
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname = 'app'
  union all
  select t.tgrelid::regclass::text || '.' || t.tgname, pg_get_triggerdef(t.oid)
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
   where not t.tgisinternal and n.nspname = 'public'
  union all
  select schemaname || '.' || viewname, definition from pg_views where schemaname in ('app', 'public')
   order by 1`;

describe('SQL definitions (src/db/sql)', () => {
  it('hold every function, trigger and view of the migrated database, exactly as it runs', async () => {
    const files = Object.entries(definitionFiles);
    expect(files.length).toBeGreaterThan(5);
    const { before, after } = await withWebSocketDatabase(ownerConfig(), (db) =>
      db
        .transaction(async (tx) => {
          const before = (await tx.execute<Definition>(currentDefinitions)).rows;
          await tx.execute(sql`set local check_function_bodies = off`);
          await tx.execute(sql`set local lock_timeout = '5s'`);
          for (const [, text] of files) await tx.execute(sql.raw(text));
          const after = (await tx.execute<Definition>(currentDefinitions)).rows;
          throw Object.assign(new Error('rolled back'), { result: { before, after } });
        })
        .catch((error: { result?: { before: Definition[]; after: Definition[] } }) => {
          if (!error.result) throw error;
          return error.result;
        }),
    );
    // Applying the files again changes nothing and adds nothing: the database runs the files' text.
    expect(after).toEqual(before);
    const functionsInFiles = files.flatMap(([, text]) => definedIn(text).filter((d) => d.kind === 'function').map((d) => d.name));
    const functionsInDatabase = new Set(before.filter((d) => d.definition.startsWith('CREATE OR REPLACE FUNCTION')).map((d) => d.name.replace(/\(.*/, '')));
    expect(new Set(functionsInFiles)).toEqual(functionsInDatabase);
  });

  it('are each written once, and no migration after the move defines one again', () => {
    const names = Object.values(definitionFiles).flatMap((text) => definedIn(text).map((d) => `${d.kind} ${d.name}`));
    const overloads = new Set(['function app.audit_event_hash']);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index && !overloads.has(name));
    expect(repeated).toEqual([]);
    const laterMigrations = Object.entries(migrationFiles).filter(([path]) => path.split('/').pop()!.slice(0, 4) > lastMigrationWithDefinitions);
    expect(laterMigrations.flatMap(([path, text]) => definedIn(text).map((d) => `${path}: ${d.kind} ${d.name}`))).toEqual([]);
  });

  it('raise only the SQLSTATEs of our own (class SOP) that src/db/sqlstates.ts names, and each of them somewhere', () => {
    const raised = new Set(Object.values(definitionFiles).flatMap((text) => [...text.matchAll(/ERRCODE = '(SOP\w+)'/g)].map((match) => match[1]!)));
    expect([...raised].sort()).toEqual(Object.values(customSqlStates).sort());
  });
});
