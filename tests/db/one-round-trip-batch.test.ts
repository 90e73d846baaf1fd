import { Buffer } from 'node:buffer';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { nodePostgresPool, nodePostgresTransport } from '../../src/db/node-postgres-transport.js';
import { inlineParameters } from '../../src/db/one-round-trip-batch.js';
import { units } from '../../src/db/schema.js';
import { appConfig } from '../support/config.js';

/**
 * The node-postgres transport's batch: the statements of a transaction, with their parameters
 * written in as literals, sent as one simple-query message (src/db/one-round-trip-batch.ts).
 */

describe('parameters written into a statement', () => {
  it('writes each $n as a literal Postgres types from its context, as it would the parameter', () => {
    const when = new Date('2026-03-01T10:15:00.000Z');
    expect(inlineParameters('select $1, $2, $3, $4, $5, $6', [null, 42, true, "O'Brien", ['a', 'b,c'], { k: 'v' }])).toBe(
      `select NULL, '42', 'true', 'O''Brien', '{"a","b,c"}', '{"k":"v"}'`,
    );
    expect(inlineParameters('select $1::timestamptz', [when])).toMatch(/^select '2026-03-01T\d\d:15:00\.000[+-]\d\d:\d\d'::timestamptz$/);
    expect(inlineParameters('select $1::bytea', [Buffer.from([0xde, 0xad])])).toBe(`select '\\xdead'::bytea`);
    // A backslash is kept as it is: pg writes an E'' literal for it.
    expect(inlineParameters('select $1', ['a\\b'])).toBe("select  E'a\\\\b'");
    expect(inlineParameters('select $10, $1', Array.from({ length: 10 }, (_, index) => index + 1))).toBe(`select '10', '1'`);
  });

  it('leaves alone what only looks like a parameter: strings, quoted names, comments, dollar quotes, names with $', () => {
    const text = `select '$1', E'\\'$1', "col$1", a$1, $$ $1 $$, $body$ $1 $body$ -- $1\n, /* $1 */ $1`;
    expect(inlineParameters(text, ['x'])).toBe(`select '$1', E'\\'$1', "col$1", a$1, $$ $1 $$, $body$ $1 $body$ -- $1\n, /* $1 */ 'x'`);
  });

  it('refuses a statement that names a parameter it was not given', () => {
    expect(() => inlineParameters('select $2', ['only one'])).toThrow(RangeError);
  });
});

describe.skipIf(env.TEST_DATABASE_KIND !== 'server')('a batch through node-postgres', () => {
  /** The transport over a pool whose every query message is counted. */
  function countedTransport() {
    const pool = nodePostgresPool(appConfig().DATABASE_URL, { max: 1, maxUses: 1 });
    const sent = { messages: 0 };
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        sent.messages += 1;
        return query(...args);
      };
    });
    return { transport: nodePostgresTransport(pool)(appConfig()), sent, pool };
  }

  it('sends BEGIN, the statements and COMMIT in one message, and answers each statement as Drizzle would', async () => {
    const { transport, sent, pool } = countedTransport();
    const [, typed, raw, dates] = (await transport.run(
      (db) => [
        db.execute(sql`set local role sextortion_app`),
        db.select({ code: units.code }).from(units).where(sql`false`),
        db.execute(sql`select ${"it's"}::text as quoted, ${7}::int as n, 1 as same, 2 as same`),
        db.execute(sql`select ${'2026-03-01'}::date as d, ${'2026-03-01T10:15:00Z'}::timestamptz at time zone 'UTC' as ts`),
      ],
      5_000,
    )) as [unknown, unknown[], { rows: Record<string, unknown>[] }, { rows: Record<string, unknown>[] }];
    expect(sent.messages).toBe(1);
    expect(typed).toEqual([]);
    // Rows as objects for a raw statement, the last of two same-named columns kept, as pg does.
    expect(raw.rows).toEqual([{ quoted: "it's", n: 7, same: 2 }]);
    expect(dates.rows).toEqual([{ d: '2026-03-01', ts: '2026-03-01 10:15:00' }]);
    await pool.end();
  });

  it("refuses the whole batch with the failing statement's SQLSTATE", async () => {
    const { transport, pool } = countedTransport();
    const failure = await transport
      .run((db) => [db.execute(sql`select 1`), db.execute(sql`select 1 / ${0}::int`), db.execute(sql`select 2`)], 5_000)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toMatchObject({ code: '22012' });
    await pool.end();
  });
});
