import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of Postgres that the fault suite can freeze: while frozen it
 * forwards nothing in either direction (new connections are accepted and held), as a database
 * that stops answering looks to its clients; release() lets everything through again, in order.
 * Only the API's traffic goes through it: the suite's own connections reach Postgres directly,
 * and the shared Postgres cluster itself is never stopped.
 */
export interface FreezableProxy {
  port: number;
  freeze(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startFreezableProxy(target: { host: string; port: number }): Promise<FreezableProxy> {
  if (target.host !== '127.0.0.1') throw new Error('the fault proxy forwards to loopback only');
  let frozen = false;
  const sockets = new Set<Socket>();

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (frozen) socket.pause();
  };

  const server = createServer((client) => {
    const upstream = connect({ host: target.host, port: target.port });
    track(client);
    track(upstream);
    // No backpressure handling: pause() is how the proxy freezes, and the traffic here is small.
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    freeze() {
      frozen = true;
      for (const socket of sockets) socket.pause();
    },
    release() {
      frozen = false;
      for (const socket of sockets) socket.resume();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
