/**
 * A bare WebSocket station for hostile-input tests: sends exactly the bytes a
 * test gives it and records every frame the CSMS sends back.
 */
import WebSocket from 'ws';

export interface RawClient {
  ws: WebSocket;
  protocol: string;
  sendText(text: string): void;
  /** Next frame from the CSMS, parsed as JSON. */
  next(timeoutMs?: number): Promise<any>;
  call(action: string, payload: unknown, messageId?: string): Promise<any>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export function openRaw(url: string, protocol: string | string[], headers: Record<string, string> = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocol, { headers });
    const inbox: any[] = [];
    const waiters: Array<(value: any) => void> = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        parsed = data.toString();
      }
      const waiter = waiters.shift();
      if (waiter) waiter(parsed);
      else inbox.push(parsed);
    });
    ws.on('unexpected-response', (_req, res) => {
      const error = Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode });
      res.resume();
      reject(error);
    });
    ws.on('error', reject);
    ws.on('open', () => {
      let counter = 0;
      const client: RawClient = {
        ws,
        protocol: ws.protocol,
        sendText: (text) => ws.send(text),
        next: (timeoutMs = 3000) =>
          inbox.length > 0
            ? Promise.resolve(inbox.shift())
            : new Promise((res, rej) => {
                const timer = setTimeout(() => {
                  waiters.splice(waiters.indexOf(done), 1);
                  rej(new Error('no frame from the CSMS'));
                }, timeoutMs);
                const done = (value: any) => {
                  clearTimeout(timer);
                  res(value);
                };
                waiters.push(done);
              }),
        async call(action, payload, messageId = `m${++counter}`) {
          ws.send(JSON.stringify([2, messageId, action, payload]));
          return client.next();
        },
        closed,
        async close() {
          if (ws.readyState === ws.CLOSED) return;
          ws.close();
          await closed;
        },
      };
      resolve(client);
    });
  });
}

export const basicAuth = (id: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`,
});
