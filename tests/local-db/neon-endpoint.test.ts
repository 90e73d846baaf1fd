import { Buffer } from 'node:buffer';
import { Client, DatabaseError, neon, NeonDbError, Pool } from '@neondatabase/serverless';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { configureDriver, openHttpDatabase } from '../../src/db/client.js';
import { appConfig } from '../support/config.js';

/**
 * The local Neon endpoint (scripts/local-db/neon-endpoint.ts) through the real driver, from
 * inside workerd: neon() over HTTP and Pool/Client over WebSocket, as the owner.
 */

type Row = Record<string, unknown>;

interface FullResult {
  command: string;
  rowCount: number | null;
  fields: Array<{ name: string; dataTypeID: number }>;
  rows: Row[];
}

interface Transport {
  name: string;
  /** One statement in a session of its own: an HTTP request, or a fresh pool that is ended. */
  full(text: string, params?: unknown[]): Promise<FullResult>;
  errorClass: new (...args: never[]) => Error;
}

const schema = 'endpoint_probe';

// Exactly as the app configures the driver for the local endpoint; and as the app's Drizzle leaves
// it, whichever test file ran first in this isolate: neon-http's Drizzle sets the driver's parsers
// for dates, times and intervals to hand back Postgres's text.
configureDriver(appConfig());
openHttpDatabase(appConfig());

function http() {
  return neon(env.TEST_OWNER_DATABASE_URL);
}

function newPool(max = 1): Pool {
  const pool = new Pool({ connectionString: env.TEST_OWNER_DATABASE_URL, max });
  pool.on('error', () => {});
  return pool;
}

/** A pool for the length of `work`, always ended. */
async function withPool<T>(work: (pool: Pool) => Promise<T>, max = 1): Promise<T> {
  const pool = newPool(max);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

const httpTransport: Transport = {
  name: 'HTTP',
  full: (text, params = []) => neon(env.TEST_OWNER_DATABASE_URL, { fullResults: true }).query(text, params),
  errorClass: NeonDbError,
};

const webSocketTransport: Transport = {
  name: 'WebSocket',
  full: (text, params = []) => withPool((pool) => pool.query(text, params)),
  errorClass: DatabaseError,
};

async function rowsOf(transport: Transport, text: string, params?: unknown[]): Promise<Row[]> {
  return (await transport.full(text, params)).rows;
}

/** A fresh table in the scratch schema, dropped when the test finishes. */
async function scratchTable(columns: string): Promise<string> {
  const name = `${schema}.t_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await http().query(`create table ${name} (${columns})`);
  onTestFinished(async () => {
    await http().query(`drop table if exists ${name}`);
  });
  return name;
}

async function keysIn(table: string): Promise<string[]> {
  const rows = await http().query(`select k from ${table} order by k`);
  return rows.map((row) => row.k as string);
}

beforeAll(async () => {
  await http().query(`create schema if not exists ${schema}`);
});

const literalRow = `select
  '2024-02-29 23:59:58.123456+05:30'::timestamptz as ts,
  '2024-02-29'::date as d,
  '12345678901234567890.123456789000'::numeric as n,
  2147483647::int4 as i4,
  9007199254740993::int8 as i8,
  true as yes,
  false as no,
  '{"a": 1, "b": [true, null, "x"]}'::json as j,
  '{"b": 2, "a": {"c": "é"}}'::jsonb as jb,
  array['a', 'b,c', 'd"e', null, '']::text[] as texts,
  array[1, null, -3]::int[] as ints,
  '\\x00ff10'::bytea as bytes,
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as id,
  null::text as no_text,
  null::int8 as no_int8,
  null::jsonb as no_json`;

const typedColumns = `k text primary key, ts timestamptz, d date, n numeric, i4 int4, i8 int8, yes bool,
  j json, jb jsonb, texts text[], ints int[], bytes bytea, id uuid, note text`;

/** A timestamptz as Postgres writes it in the session's time zone (`2024-02-29 18:29:58.123456+00`), as an instant. */
function instantOf(value: unknown): number {
  expect(value).toEqual(expect.any(String));
  return Date.parse((value as string).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

function bytesOf(value: unknown): number[] {
  expect(value).toBeInstanceOf(Uint8Array);
  return [...(value as Uint8Array)];
}

describe.each([httpTransport, webSocketTransport])('the endpoint over $name', (transport) => {
  it('returns every type as the driver parses it', async () => {
    const [row] = await rowsOf(transport, literalRow);
    const { bytes, ts, ...rest } = row!;
    expect(instantOf(ts)).toBe(Date.parse('2024-02-29T18:29:58.123Z'));
    expect(rest).toEqual({
      d: '2024-02-29',
      n: '12345678901234567890.123456789000',
      i4: 2147483647,
      i8: '9007199254740993',
      yes: true,
      no: false,
      j: { a: 1, b: [true, null, 'x'] },
      jb: { a: { c: 'é' }, b: 2 },
      texts: ['a', 'b,c', 'd"e', null, ''],
      ints: [1, null, -3],
      id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      no_text: null,
      no_int8: null,
      no_json: null,
    });
    expect(bytesOf(bytes)).toEqual([0x00, 0xff, 0x10]);
  });

  it('sends parameters of every type, stores them and reads them back', async () => {
    const table = await scratchTable(typedColumns);
    const values = [
      'row-1',
      new Date('2024-03-01T01:02:03.456Z'),
      '2024-03-01',
      '-0.000000000000000000001',
      -2147483648,
      9007199254740993n,
      false,
      { nested: { list: [1, 'two', null] } },
      { quote: 'it\'s "quoted"', unicode: 'ü→✓' },
      ['x', 'y,z', 'q"uote', null, '{braces}'],
      [3, 2, 1],
      Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]),
      '123e4567-e89b-12d3-a456-426614174000',
      null,
    ];
    const placeholders = values.map((_, index) => `$${index + 1}`).join(', ');
    const inserted = await transport.full(
      `insert into ${table} (k, ts, d, n, i4, i8, yes, j, jb, texts, ints, bytes, id, note) values (${placeholders}) returning *`,
      values,
    );
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 1 });
    const [read] = await rowsOf(transport, `select * from ${table} where k = $1 and id = $2 and ts = $3`, [
      'row-1', '123e4567-e89b-12d3-a456-426614174000', new Date('2024-03-01T01:02:03.456Z'),
    ]);
    for (const row of [inserted.rows[0]!, read!]) {
      const { bytes, ts, ...rest } = row;
      expect(instantOf(ts)).toBe(Date.parse('2024-03-01T01:02:03.456Z'));
      expect(rest).toEqual({
        k: 'row-1',
        d: '2024-03-01',
        n: '-0.000000000000000000001',
        i4: -2147483648,
        i8: '9007199254740993',
        yes: false,
        j: { nested: { list: [1, 'two', null] } },
        jb: { quote: 'it\'s "quoted"', unicode: 'ü→✓' },
        texts: ['x', 'y,z', 'q"uote', null, '{braces}'],
        ints: [3, 2, 1],
        id: '123e4567-e89b-12d3-a456-426614174000',
        note: null,
      });
      expect(bytesOf(bytes)).toEqual([0xde, 0xad, 0xbe, 0xef, 0x00]);
    }
    const [typed] = await rowsOf(
      transport,
      `select pg_typeof(ts)::text as ts, pg_typeof(jb)::text as jb, octet_length(bytes) as bytes,
              cardinality(texts) as texts, texts[4] is null as null_element, note is null as null_note
         from ${table}`,
    );
    expect(typed).toEqual({ ts: 'timestamp with time zone', jb: 'jsonb', bytes: 5, texts: 5, null_element: true, null_note: true });
  });

  it('reports the command, row count and fields', async () => {
    const table = await scratchTable('k text primary key, v int4');
    const inserted = await transport.full(`insert into ${table} (k, v) values ('a', 1), ('b', 2), ('c', 3)`);
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 3, rows: [] });
    const updated = await transport.full(`update ${table} set v = v + 1 where k <> $1`, ['a']);
    expect(updated).toMatchObject({ command: 'UPDATE', rowCount: 2 });
    const selected = await transport.full(`select k, v, null::text as nothing from ${table} order by k`);
    expect(selected).toMatchObject({ command: 'SELECT', rowCount: 3 });
    expect(selected.fields.map(({ name, dataTypeID }) => [name, dataTypeID])).toEqual([['k', 25], ['v', 23], ['nothing', 25]]);
    expect(selected.rows).toEqual([
      { k: 'a', v: 1, nothing: null },
      { k: 'b', v: 3, nothing: null },
      { k: 'c', v: 4, nothing: null },
    ]);
    const empty = await transport.full(`select k from ${table} where false`);
    expect(empty).toMatchObject({ command: 'SELECT', rowCount: 0, rows: [] });
    expect(empty.fields.map((field) => field.name)).toEqual(['k']);
  });

  it("delivers a syntax error as the driver's error with code 42601, and stays usable", async () => {
    const error = await transport.full('selec 1 as one').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(transport.errorClass);
    expect(error).toMatchObject({ code: '42601', severity: 'ERROR', message: 'syntax error at or near "selec"', position: '1' });
    expect(await rowsOf(transport, 'select $1::int4 + 1 as two', [1])).toEqual([{ two: 2 }]);
  });

  it("delivers a unique violation as the driver's error with code 23505 and its details, and stays usable", async () => {
    const table = await scratchTable('k text constraint probe_k_unique unique');
    await transport.full(`insert into ${table} (k) values ($1)`, ['same']);
    const error = await transport.full(`insert into ${table} (k) values ($1)`, ['same']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(transport.errorClass);
    expect(error).toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "probe_k_unique"',
      detail: 'Key (k)=(same) already exists.',
      constraint: 'probe_k_unique',
      schema,
      table: table.slice(schema.length + 1),
    });
    await transport.full(`insert into ${table} (k) values ($1)`, ['other']);
    expect(await keysIn(table)).toEqual(['other', 'same']);
  });
});

describe('HTTP transactions', () => {
  it('leave nothing behind when the 2nd of 3 statements fails, and a later one commits', async () => {
    const table = await scratchTable('k text primary key');
    const sql = http();
    const error = await sql
      .transaction((tx) => [
        tx.query(`insert into ${table} (k) values ($1)`, ['first']),
        tx.query(`insert into ${table} (k) values ($1)`, ['first']),
        tx.query(`insert into ${table} (k) values ($1)`, ['third']),
      ])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ code: '23505' });
    expect(await keysIn(table)).toEqual([]);

    const results = await sql.transaction([
      sql`insert into ${sql.unsafe(table)} (k) values (${'first'}) returning k`,
      sql`select count(*)::int as n from ${sql.unsafe(table)}`,
    ]);
    expect(results).toEqual([[{ k: 'first' }], [{ n: 1 }]]);
    expect(await keysIn(table)).toEqual(['first']);
  });

  it('leave nothing behind when a statement has a syntax error', async () => {
    const table = await scratchTable('k text primary key');
    const sql = http();
    await expect(
      sql.transaction([sql.query(`insert into ${table} (k) values ('a')`), sql.query('selec 1'), sql.query('select 1')]),
    ).rejects.toMatchObject({ code: '42601' });
    expect(await keysIn(table)).toEqual([]);
  });

  it('readOnly rejects an INSERT with 25006 and writes nothing', async () => {
    const table = await scratchTable('k text primary key');
    const sql = http();
    const insert = () => sql.query(`insert into ${table} (k) values ('a')`);
    const error = await sql.transaction([insert()], { readOnly: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeonDbError);
    expect(error).toMatchObject({ code: '25006', message: 'cannot execute INSERT in a read-only transaction' });
    await expect(neon(env.TEST_OWNER_DATABASE_URL, { readOnly: true }).transaction([insert()])).rejects.toMatchObject({ code: '25006' });
    expect(await keysIn(table)).toEqual([]);
    await sql.transaction([insert()], { readOnly: false });
    expect(await keysIn(table)).toEqual(['a']);
  });

  it('apply isolationLevel, readOnly and deferrable, per transaction and per neon() function', async () => {
    const settings = `select current_setting('transaction_isolation') as isolation,
      current_setting('transaction_read_only') as read_only, current_setting('transaction_deferrable') as deferrable`;
    const defaults = { isolation: 'read committed', read_only: 'off', deferrable: 'off' };
    const sql = http();
    expect(await sql.transaction([sql.query(settings)])).toEqual([[defaults]]);

    const cases = [
      [{ isolationLevel: 'ReadUncommitted' }, { isolation: 'read uncommitted', read_only: 'off', deferrable: 'off' }],
      [{ isolationLevel: 'RepeatableRead', readOnly: true }, { isolation: 'repeatable read', read_only: 'on', deferrable: 'off' }],
      [{ isolationLevel: 'Serializable', readOnly: true, deferrable: true }, { isolation: 'serializable', read_only: 'on', deferrable: 'on' }],
      [{ isolationLevel: 'ReadCommitted', readOnly: false, deferrable: false }, defaults],
    ] as const;
    for (const [options, expected] of cases) {
      expect(await sql.transaction([sql.query(settings)], options), JSON.stringify(options)).toEqual([[expected]]);
      const perFunction = neon(env.TEST_OWNER_DATABASE_URL, options);
      expect(await perFunction.transaction((tx) => [tx.query(settings)]), JSON.stringify(options)).toEqual([[expected]]);
    }
    // Nothing lingers into the next transaction.
    expect(await sql.transaction([sql.query(settings)])).toEqual([[defaults]]);
  });
});

describe('WebSocket transactions', () => {
  it('BEGIN, a failing statement, ROLLBACK leaves nothing behind, and the client works afterwards', async () => {
    const table = await scratchTable('k text primary key');
    await withPool(async (pool) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`insert into ${table} (k) values ($1)`, ['first']);
        const error = await client.query(`insert into ${table} (k) values ($1)`, ['first']).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(DatabaseError);
        expect(error).toMatchObject({ code: '23505' });
        await expect(client.query(`insert into ${table} (k) values ('third')`)).rejects.toMatchObject({ code: '25P02' });
        await client.query('ROLLBACK');
        expect((await client.query(`select count(*)::int as n from ${table}`)).rows).toEqual([{ n: 0 }]);

        await client.query('BEGIN');
        await expect(client.query('selec 1')).rejects.toMatchObject({ code: '42601' });
        await client.query('ROLLBACK');

        await client.query('BEGIN');
        await client.query(`insert into ${table} (k) values ($1)`, ['after']);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect((await pool.query(`select k from ${table}`)).rows).toEqual([{ k: 'after' }]);
    });
    expect(await keysIn(table)).toEqual(['after']);
  });

  it('BEGIN READ ONLY rejects an INSERT with 25006', async () => {
    const table = await scratchTable('k text primary key');
    await withPool(async (pool) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN READ ONLY');
        await expect(client.query(`insert into ${table} (k) values ('a')`)).rejects.toMatchObject({ code: '25006' });
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    });
    expect(await keysIn(table)).toEqual([]);
  });

  it('a Client left in a failed transaction and ended leaves nothing behind', async () => {
    const table = await scratchTable('k text primary key');
    const client = new Client(env.TEST_OWNER_DATABASE_URL);
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`insert into ${table} (k) values ('a')`);
      await expect(client.query(`insert into ${table} (k) values ('a')`)).rejects.toMatchObject({ code: '23505' });
    } finally {
      await client.end();
    }
    expect(await keysIn(table)).toEqual([]);
    expect(await http().query('select 1 as one')).toEqual([{ one: 1 }]);
  });
});

describe('concurrent use', () => {
  it('answers many HTTP queries and transactions at once, each with its own result', async () => {
    const table = await scratchTable('k text primary key');
    const sql = http();
    const count = 12;
    const answers = await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const [inserted, selected] = await sql.transaction([
          sql.query(`insert into ${table} (k) values ($1) returning k`, [`k${String(index).padStart(2, '0')}`]),
          sql.query('select $1::int4 * 2 as doubled', [index]),
        ]);
        const [plain] = await sql.query('select $1::text as echo', [`echo ${index}`]);
        return [inserted![0]!.k, selected![0]!.doubled, plain!.echo];
      }),
    );
    expect(answers).toEqual(Array.from({ length: count }, (_, index) => [`k${String(index).padStart(2, '0')}`, index * 2, `echo ${index}`]));
    expect(await keysIn(table)).toHaveLength(count);
  });

  it('completes several WebSocket sessions at once, alongside HTTP queries', async () => {
    const table = await scratchTable('k text primary key, session int4');
    const sessions = Array.from({ length: 4 }, (_, session) =>
      withPool(async (pool) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          for (const step of [0, 1, 2]) await client.query(`insert into ${table} values ($1, $2)`, [`s${session}-${step}`, session]);
          const { rows } = await client.query(`select count(*)::int as n from ${table} where session = $1`, [session]);
          await client.query('COMMIT');
          return rows[0]!.n as number;
        } finally {
          client.release();
        }
      }),
    );
    const clients = Array.from({ length: 2 }, async (_, index) => {
      const client = new Client(env.TEST_OWNER_DATABASE_URL);
      await client.connect();
      try {
        return (await client.query('select $1::text as echo', [`client ${index}`])).rows[0]!.echo as string;
      } finally {
        await client.end();
      }
    });
    const httpQueries = Array.from({ length: 6 }, async (_, index) => (await http().query('select $1::int4 as n', [index]))[0]!.n);
    expect(await Promise.all(sessions)).toEqual([3, 3, 3, 3]);
    expect(await Promise.all(clients)).toEqual(['client 0', 'client 1']);
    expect(await Promise.all(httpQueries)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await keysIn(table)).toHaveLength(12);
  });

  it('answers HTTP queries while a WebSocket client is connected and idle', async () => {
    const table = await scratchTable('k text primary key');
    const client = new Client(env.TEST_OWNER_DATABASE_URL);
    await client.connect();
    try {
      await client.query(`insert into ${table} (k) values ('from websocket')`);
      await http().query(`insert into ${table} (k) values ('from http')`);
      expect((await client.query(`select k from ${table} order by k`)).rows).toEqual([{ k: 'from http' }, { k: 'from websocket' }]);
    } finally {
      await client.end();
    }
  });

  it('runs several queries at once on one pool of several connections', async () => {
    const answers = await withPool(
      (pool) => Promise.all(Array.from({ length: 4 }, async (_, index) => (await pool.query('select $1::int4 as n', [index])).rows[0]!.n)),
      4,
    );
    expect(answers).toEqual([0, 1, 2, 3]);
  });
});
