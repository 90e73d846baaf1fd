import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of the PostgreSQL server that counts round trips per
 * connection's application_name, for tests/round-trips.test.ts on the node-postgres transport.
 * A round trip is a client write that finds every earlier request answered: no Sync or simple
 * Query still waiting for its ReadyForQuery. Pipelined statements are one round trip however many
 * they are; statements sent one after another are one each. The startup and the Terminate a
 * closing connection sends are not counted. `GET <counts>/round-trips?tag=` reads a tag's count.
 */
export interface PgRoundTripCounter {
  /** host:port to put in a connection string in place of the server's. */
  address: string;
  /** Base URL of the counts. */
  counts: string;
  close(): Promise<void>;
}

/** Splits a byte stream into whole protocol messages (a type byte, then a length that counts itself). */
function messageReader(onMessage: (type: string, body: Buffer) => void) {
  let pending = Buffer.alloc(0);
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 5) {
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      onMessage(String.fromCharCode(pending[0]!), pending.subarray(5, 1 + length));
      pending = pending.subarray(1 + length);
    }
  };
}

const sslRequestCode = 80877103;

export async function startPgRoundTripCounter(target: { host: string; port: number }): Promise<PgRoundTripCounter> {
  if (target.host !== '127.0.0.1' && target.host !== 'localhost') throw new Error('the round-trip counter forwards to loopback only');
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();

  const proxy = createServer((client) => {
    const upstream = connect({ host: target.host, port: target.port });
    sockets.add(client);
    sockets.add(upstream);
    let tag = '';
    let started = false;
    let outstanding = 0;
    let startup = Buffer.alloc(0);
    let startupDone = false;

    const fromServer = messageReader((type) => {
      if (type !== 'Z') return;
      if (!started) started = true;
      else outstanding = Math.max(0, outstanding - 1);
    });
    let written: string[] = [];
    const readClient = messageReader((type) => written.push(type));
    const fromClient = (chunk: Buffer) => {
      written = [];
      readClient(chunk);
      if (written.length === 0 || written.every((type) => type === 'X')) return;
      if (outstanding === 0) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      outstanding += written.filter((type) => type === 'S' || type === 'Q').length;
    };

    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (startupDone) {
        if (started) fromClient(chunk);
        return;
      }
      // The startup message has no type byte: a length, a protocol code, then name/value pairs.
      startup = Buffer.concat([startup, chunk]);
      if (startup.length < 8 || startup.length < startup.readInt32BE(0)) return;
      const length = startup.readInt32BE(0);
      if (startup.readInt32BE(4) === sslRequestCode) {
        startup = startup.subarray(length);
        return;
      }
      const pairs = startup.subarray(8, length).toString('utf8').split('\0');
      for (let index = 0; index + 1 < pairs.length; index += 2) if (pairs[index] === 'application_name') tag = pairs[index + 1]!;
      startupDone = true;
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      fromServer(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => (sockets.delete(client), upstream.destroy()));
    upstream.on('close', () => (sockets.delete(upstream), client.destroy()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));

  const countsServer = createHttpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://counter');
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ roundTrips: counts.get(url.searchParams.get('tag') ?? '') ?? 0 }));
  });
  await new Promise<void>((resolve) => countsServer.listen(0, '127.0.0.1', resolve));

  return {
    address: `127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    counts: `http://127.0.0.1:${(countsServer.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await new Promise<void>((resolve) => countsServer.close(() => resolve()));
    },
  };
}
