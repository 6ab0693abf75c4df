/**
 * A bare OCPP 1.6 station that charges as fast as the CSMS answers: boot,
 * StartTransaction, then MeterValues in a closed loop (the next one is sent
 * when the previous one is answered) until its socket closes. It keeps count
 * of what was answered and holds the one message left unanswered, so a test
 * can compare the station's view with what the database stored.
 */
import WebSocket from 'ws';

export interface MeterLoopStation {
  readonly id: string;
  readonly transactionId: number;
  /** MeterValues answered with a CALLRESULT, over every connection. */
  readonly answered: number;
  /** The frame sent last and never answered (the socket closed first), or null. */
  readonly unanswered: string | null;
  /** Close code of the current connection once it closes. */
  readonly closed: Promise<number>;
  /** Reconnects (to `url`), boots, sends the unanswered frame again, and stops the loop there. */
  resume(url: string): Promise<void>;
  /** StopTransaction on the current connection; resolves with its answer. */
  stop(): Promise<unknown>;
}

interface Connection {
  ws: WebSocket;
  closed: Promise<number>;
  call(action: string, payload: unknown): Promise<unknown>;
}

function connect(url: string, id: string, onFrame: (frame: unknown[], conn: Connection) => boolean): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/${id}`, 'ocpp1.6');
    const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)));
    const waiting = new Map<string, (payload: unknown) => void>();
    let counter = 0;
    const conn: Connection = {
      ws,
      closed,
      call(action, payload) {
        const messageId = `c${++counter}`;
        return new Promise((answered) => {
          waiting.set(messageId, answered);
          ws.send(JSON.stringify([2, messageId, action, payload]));
        });
      },
    };
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as unknown[];
      // A CALL from the CSMS (local list version, settings): this station implements none.
      if (frame[0] === 2) return ws.send(JSON.stringify([4, frame[1], 'NotImplemented', '', {}]));
      if (onFrame(frame, conn)) return;
      const answered = waiting.get(frame[1] as string);
      waiting.delete(frame[1] as string);
      answered?.(frame[0] === 3 ? frame[2] : frame);
    });
    ws.on('error', reject);
    ws.on('open', () => resolve(conn));
  });
}

async function boot(conn: Connection): Promise<void> {
  const answer = (await conn.call('BootNotification', { chargePointVendor: 'Test', chargePointModel: 'MeterLoop' })) as { status?: string };
  if (answer.status !== 'Accepted') throw new Error(`boot answered ${JSON.stringify(answer)}`);
}

export async function startMeterLoopStation(url: string, id: string, idTag: string): Promise<MeterLoopStation> {
  let answered = 0;
  let wh = 0;
  let inFlight: { messageId: string; frame: string } | null = null;
  let looping = true;
  /** Set by resume while it waits for the answer to the frame it sent again. */
  let onAnswered: (() => void) | null = null;
  const sendNext = (conn: Connection) => {
    wh += 10;
    const messageId = `mv${wh}`;
    const frame = JSON.stringify([2, messageId, 'MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(wh) }] }] }]);
    inFlight = { messageId, frame };
    conn.ws.send(frame);
  };
  // MeterValues answers are taken here; every other answer goes to the waiting call.
  const onFrame = (frame: unknown[], conn: Connection): boolean => {
    if (!inFlight || frame[1] !== inFlight.messageId) return false;
    if (frame[0] === 3) answered += 1;
    inFlight = null;
    onAnswered?.();
    if (looping && conn.ws.readyState === WebSocket.OPEN) sendNext(conn);
    return true;
  };
  let conn = await connect(url, id, onFrame);
  await boot(conn);
  const start = (await conn.call('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: new Date().toISOString() })) as { transactionId: number };
  const transactionId = start.transactionId;
  sendNext(conn);
  return {
    id,
    transactionId,
    get answered() {
      return answered;
    },
    get unanswered() {
      return inFlight?.frame ?? null;
    },
    get closed() {
      return conn.closed;
    },
    async resume(nextUrl) {
      looping = false;
      conn = await connect(nextUrl, id, onFrame);
      await boot(conn);
      if (!inFlight) return;
      const answeredAgain = new Promise<void>((done) => (onAnswered = done));
      conn.ws.send(inFlight.frame);
      await answeredAgain;
    },
    stop() {
      return conn.call('StopTransaction', { transactionId, meterStop: wh, timestamp: new Date().toISOString(), reason: 'Local' });
    },
  };
}
