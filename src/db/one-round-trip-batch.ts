import { prepareValue } from 'pg/lib/utils.js';
import pg from 'pg';

/**
 * A batch of statements as one simple-query message, `BEGIN; …; COMMIT`: node-postgres sends
 * each query on its own and cannot pipeline, so this is how a transaction costs one round trip
 * on the Node entry, as it does through Neon's HTTP batch. Parameters are written into the text
 * as quoted literals, which Postgres types from their context exactly as it types an untyped
 * parameter; pg's own prepareValue gives the text it would have sent for each.
 */

/** A query Drizzle asked for, held until the whole batch has been written down. */
export interface HeldQuery {
  text: string;
  values: unknown[];
  rowMode?: 'array';
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** What Drizzle talks to instead of a pg client: it holds every query until the batch is sent. */
export function holdingClient(held: HeldQuery[]) {
  return {
    query(config: { text: string; rowMode?: 'array' }, values: unknown[] = []) {
      return new Promise((resolve, reject) => held.push({ text: config.text, values, rowMode: config.rowMode, resolve, reject }));
    },
  };
}

function literalOf(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (Buffer.isBuffer(prepared)) return `'\\x${prepared.toString('hex')}'`;
  return pg.escapeLiteral(String(prepared));
}

/**
 * The statement with $1, $2, … replaced by literals. Skips what is not SQL to be read: quoted
 * strings and identifiers, E'' strings, dollar-quoted bodies and comments.
 */
export function inlineParameters(text: string, values: readonly unknown[]): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const skipped =
      /^(?:[eE]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest) ??
      /^(\$[A-Za-z_][A-Za-z_0-9]*\$|\$\$)[\s\S]*?\1/.exec(rest);
    if (skipped) {
      out += skipped[0];
      index += skipped[0].length;
      continue;
    }
    const parameter = /^\$(\d+)(?![\d$])/.exec(rest);
    if (parameter) {
      const position = Number(parameter[1]);
      if (position < 1 || position > values.length) throw new RangeError(`the statement names $${position} but has ${values.length} parameter(s)`);
      out += literalOf(values[position - 1]);
      index += parameter[0].length;
      continue;
    }
    // An identifier or number runs on: a $ inside one (name$1) is not a parameter.
    const word = /^[A-Za-z_0-9][A-Za-z_0-9$]*/.exec(rest);
    out += word ? word[0] : text[index];
    index += word ? word[0].length : 1;
  }
  return out;
}

type ArrayResult = { command: string; rowCount: number | null; oid: number; fields: Array<{ name: string }>; rows: unknown[][] };

/** A result in the shape the held query asked for: rows as arrays (Drizzle's selects) or as objects. */
function asAsked(result: ArrayResult, rowMode: 'array' | undefined) {
  if (rowMode === 'array') return result;
  const names = result.fields.map((field) => field.name);
  return { ...result, rows: result.rows.map((row) => Object.fromEntries(names.map((name, column) => [name, row[column]]))) };
}

/** The batch as one message; each held query answered with its own result, or all refused with the error. */
export async function sendHeldQueries(client: pg.PoolClient, held: HeldQuery[], types: pg.CustomTypesConfig): Promise<void> {
  const text = ['BEGIN', ...held.map((query) => inlineParameters(query.text, query.values)), 'COMMIT'].join(';\n');
  let results: ArrayResult[];
  try {
    results = (await client.query({ text, rowMode: 'array', types })) as unknown as ArrayResult[];
  } catch (error) {
    for (const query of held) query.reject(error);
    throw error;
  }
  held.forEach((query, position) => query.resolve(asAsked(results[position + 1]!, query.rowMode)));
}
