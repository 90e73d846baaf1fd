/// <reference types="vite/client" />
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { COMPLETING_ACTS, CONDITION_KEYS, REQUEST_KINDS, STEP_KINDS, STEP_STATUSES, TRIGGER_EVENTS } from '../../src/sop/vocabulary.js';
import { ownerConfig } from '../support/config.js';

const sopEngine = import.meta.glob<string>('../../src/db/sql/sop-engine.sql', { query: '?raw', import: 'default', eager: true });
const sweeps = import.meta.glob<string>('../../src/db/sql/*-sweep.sql', { query: '?raw', import: 'default', eager: true });
const engineText = Object.values(sopEngine)[0]!;
const sweepsText = Object.values(sweeps).join('\n');

function functionBody(text: string, name: string): string {
  const start = text.indexOf(`FUNCTION app.${name}(`);
  expect(start, `app.${name} in the SQL definitions`).toBeGreaterThan(-1);
  const bodyStart = text.indexOf('$function$', start);
  return text.slice(bodyStart, text.indexOf('$function$', bodyStart + 1));
}

const unique = (words: Iterable<string>) => [...new Set(words)].sort();

describe('the SOP vocabulary (src/sop/vocabulary.ts) and the SQL engine speak the same words', () => {
  it('starts a step\'s clock on exactly the trigger events the step schema allows', () => {
    const body = functionBody(engineText, 'build_case_steps');
    const branch = body.slice(body.indexOf("CASE d.step->'trigger'->>'event'"), body.indexOf('END AS triggered_at'));
    expect(unique([...branch.matchAll(/WHEN '(\w+)'/g)].map((match) => match[1]!))).toEqual(unique(TRIGGER_EVENTS));
  });

  it('judges exactly the conditions the step schema allows', () => {
    const body = functionBody(engineText, 'step_applies');
    expect(unique([...body.matchAll(/p_conditions->'(\w+)'/g)].map((match) => match[1]!))).toEqual(unique(CONDITION_KEYS));
  });

  it('writes and reads only the step statuses the vocabulary knows', () => {
    // Case steps go by the aliases cs and s in both files; build_case_steps updates only case steps.
    const read = [...`${engineText}\n${sweepsText}`.matchAll(/\b(?:cs|s)\.status\s*(?:=|<>)\s*'(\w+)'/g)].map((match) => match[1]!);
    const written = [...functionBody(engineText, 'build_case_steps').matchAll(/SET status = '(\w+)'/g)].map((match) => match[1]!);
    expect(written).toEqual(['done', 'retired', 'pending']);
    expect(unique([...read, ...written]).filter((status) => !(STEP_STATUSES as readonly string[]).includes(status))).toEqual([]);
  });

  it('completes steps by exactly the acts the step schema allows', () => {
    const body = functionBody(engineText, 'build_case_steps');
    expect(unique([...body.matchAll(/'completedBy' \? '(\w+)'/g)].map((match) => match[1]!))).toEqual(unique(COMPLETING_ACTS));
  });

  it('has table checks that allow exactly the vocabulary\'s statuses and kinds', async () => {
    const { rows } = await openHttpDatabase(ownerConfig()).execute<{ name: string; definition: string }>(sql`
      select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
       where conname in ('case_steps_status', 'case_steps_kind', 'platform_requests_kind')`);
    const words = (name: string) => unique([...rows.find((row) => row.name === name)!.definition.matchAll(/'(\w+)'/g)].map((match) => match[1]!));
    expect(words('case_steps_status')).toEqual(unique(STEP_STATUSES));
    expect(words('case_steps_kind')).toEqual(unique(STEP_KINDS));
    expect(words('platform_requests_kind')).toEqual(unique(REQUEST_KINDS));
  });
});
