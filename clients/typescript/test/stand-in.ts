import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A loopback stand-in for the API that answers each request with what `answer` says and keeps what it received. */
export async function startStandIn(answer: (request: ReceivedRequest, index: number) => Answer) {
  const received: ReceivedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      const request = { method: incoming.method!, path: incoming.url!, headers: incoming.headers, body };
      received.push(request);
      const { status, headers = {}, body: answerBody } = answer(request, received.length - 1);
      const text = answerBody === undefined ? '' : JSON.stringify(answerBody);
      outgoing.writeHead(status, { ...(text ? { 'Content-Type': 'application/json' } : {}), ...headers });
      outgoing.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const problem = (status: number, code: string) => ({ type: `https://sop.example/problems/${code}`, title: code, status, code, detail: code, requestId: 'req' });
