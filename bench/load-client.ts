/**
 * Load-generator process (forked by the benchmarks with IPC): many raw `ws`
 * stations with minimal state each, driven by commands from protocol.ts:
 *  - connect:     open N sockets (bounded concurrency), BootNotification, then
 *                 one StatusNotification per connector; report boot latencies;
 *  - closed-loop: every station sends its next Heartbeat as soon as the
 *                 previous one is answered (OCPP: one outstanding CALL);
 *  - paced:       Heartbeats on a fixed schedule (open loop) at a given rate;
 *  - close:       drop every socket and exit.
 * CALLs from the CSMS are answered (see answerCall) in every phase.
 * With `urls` (several nodes, as behind a load balancer without stickiness), a
 * station whose socket closes after its boot reconnects like a charger: after
 * 100-1000 ms to the next node in turn, boots again, sends the message whose
 * answer it never got once more, and goes on (see reconnect).
 * Client frames use an all-zero mask to save load-generator CPU; the server
 * still runs its unmasking code, so its cost per frame is unchanged.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Histogram } from './histogram.ts';
import { newScriptState, nextMessage, onAnswer, type ScriptState } from './load-scripts.ts';
import {
  benchPassword, bootFrame, statusFrame,
  type Command, type ConnectCommand, type ConnectReply, type HeartbeatCommand, type HeartbeatReply, type Subprotocol,
} from './protocol.ts';

interface Station {
  ws: WebSocket;
  id: string;
  protocol: Subprotocol;
  /** 0 booting, 1 sending statuses, 2 idle, 3 heartbeating, 4 reconnecting */
  phase: number;
  /** Index into the command's urls of the node this station is connected to. */
  node: number;
  /** The last frame sent in the paced/closed-loop phase (sent again after a reconnect when unanswered). */
  lastFrame: string;
  connector: number;
  seq: number;
  sentAt: number;
  /** paced mode: scheduled times of heartbeats not sent yet / of the one in flight */
  waiting: number[];
  inFlightScheduledAt: number;
  busy: boolean;
  /** Kind of the message in flight, and the station's place in its script. */
  kind: string;
  script: ScriptState;
}

const stations: Station[] = [];
let dropped = 0;
/** Reconnects after a node closed the socket (only with ConnectCommand.urls). */
const failover = { reconnects: 0, resent: 0, failedAttempts: 0, latency: new Histogram(), openLatency: new Histogram(), closeCodes: {} as Record<string, number> };
let connectCommand: ConnectCommand | null = null;
const zeroMask = (mask: Buffer) => mask.fill(0);
const reply = (value: unknown) => process.send?.(value);
const untilEpoch = (epochMs: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, epochMs - Date.now())));

function connect(cmd: ConnectCommand): Promise<ConnectReply> {
  connectCommand = cmd;
  const latency = new Histogram();
  const errors = new Set<string>();
  let next = 0;
  let inFlight = 0;
  let settled = 0;
  const out: ConnectReply = { booted: 0, failed: 0, retries: 0, csmsCalls: 0, errors: [], bootLatency: latency.toJSON(), lastBootAt: 0, lastStatusAt: 0, statusErrors: 0, dropped: 0 };
  return new Promise((done) => {
    const finishOne = () => {
      settled += 1;
      if (settled === cmd.count) {
        out.errors = [...errors].slice(0, 5);
        out.bootLatency = latency.toJSON();
        out.dropped = dropped;
        out.csmsCalls = csmsCalls;
        done(out);
      }
    };
    const launch = () => {
      while (inFlight < cmd.concurrency && next < cmd.count) {
        inFlight += 1;
        const id = `${cmd.prefix}${cmd.from + next++}`;
        open(id, performance.now(), 0, cmd.urls ? (cmd.from + next) % cmd.urls.length : 0);
      }
    };
    /** One connection attempt; a failed attempt is retried after 1-3 s like a charger would, keeping its slot. */
    const open = (id: string, startedAt: number, attempt: number, node: number) => {
      const ws = openSocket(cmd, id, node);
      const st: Station = {
        ws, id, protocol: cmd.protocol, phase: 0, node, lastFrame: '', connector: 0, seq: 0, sentAt: 0, waiting: [], inFlightScheduledAt: 0, busy: false, kind: '', script: newScriptState(),
      };
      let failed = false;
      const fail = (reason: string) => {
        if (st.phase !== 0 || failed) return;
        failed = true;
        errors.add(reason);
        ws.terminate();
        if (attempt < cmd.retries) {
          out.retries += 1;
          setTimeout(() => open(id, startedAt, attempt + 1, node), 1000 + Math.random() * 2000);
          return;
        }
        out.failed += 1;
        inFlight -= 1;
        finishOne();
        launch();
      };
      const nextStatus = () => {
        if (st.connector >= cmd.connectors) {
          st.phase = 2;
          out.lastStatusAt = Date.now();
          finishOne();
          return;
        }
        st.connector += 1;
        ws.send(statusFrame(cmd.protocol, `s${st.connector}`, st.connector));
      };
      ws.on('open', () => ws.send(bootFrame(cmd.protocol, 'boot')));
      ws.on('error', (error) => fail(error.message));
      ws.on('close', (code) => {
        if (st.phase === 0) fail(`closed with ${code} before boot`);
        else afterClose(st, code);
      });
      ws.on('message', (data: Buffer) => {
        if (data[1] === 0x32 /* "2": a CALL from the CSMS */) return answerCall(st, data);
        if (st.phase === 3) return onHeartbeatAnswer(st, data);
        const frame = JSON.parse(data.toString()) as [number, string, Record<string, unknown>];
        if (st.phase === 0) {
          if (frame[0] !== 3 || frame[2]?.status !== 'Accepted') return fail(`boot answered ${data.toString().slice(0, 120)}`);
          latency.record((performance.now() - startedAt) * 1000);
          out.booted += 1;
          out.lastBootAt = Date.now();
          st.phase = 1;
          stations.push(st);
          inFlight -= 1;
          launch();
          nextStatus();
        } else if (st.phase === 1) {
          if (frame[0] !== 3) out.statusErrors += 1;
          nextStatus();
        }
      });
    };
    if (cmd.count === 0) done(out);
    else void untilEpoch(cmd.startAt).then(launch);
  });
}

function openSocket(cmd: ConnectCommand, id: string, node: number): WebSocket {
  const headers: Record<string, string> = cmd.password ? { authorization: `Basic ${Buffer.from(`${id}:${benchPassword(id)}`).toString('base64')}` } : {};
  return new WebSocket(`${cmd.urls?.[node] ?? cmd.url}/${id}`, cmd.protocol, {
    localAddress: cmd.localAddress, headers, perMessageDeflate: false, handshakeTimeout: 120_000, generateMask: zeroMask, skipUTF8Validation: true,
  });
}

/** A booted station lost its socket: count it, and with several nodes come back like a charger. */
function afterClose(st: Station, code: number): void {
  dropped += 1;
  failover.closeCodes[code] = (failover.closeCodes[code] ?? 0) + 1;
  if (!connectCommand?.urls) return;
  const wasRunning = st.phase === 3;
  st.phase = 4;
  const closedAt = performance.now();
  setTimeout(() => reconnect(st, closedAt, wasRunning), 100 + Math.random() * 900);
}

/**
 * Reconnect to the next node in turn, boot, then resume: first the message left unanswered
 * (OCPP 1.6 §4.10 / 2.0.1 E13: transaction messages are sent again), then the queue.
 */
function reconnect(st: Station, closedAt: number, resume: boolean): void {
  const cmd = connectCommand!;
  st.node = (st.node + 1) % cmd.urls!.length;
  const ws = openSocket(cmd, st.id, st.node);
  st.ws = ws;
  let booted = false;
  let given = false;
  // A node that is down refuses, a stopping one answers 503: try the next one shortly.
  const retry = () => {
    if (booted || given) return;
    given = true;
    failover.failedAttempts += 1;
    ws.terminate();
    setTimeout(() => reconnect(st, closedAt, resume), 500);
  };
  ws.on('open', () => {
    failover.openLatency.record((performance.now() - closedAt) * 1000);
    ws.send(bootFrame(cmd.protocol, 'reboot'));
  });
  ws.on('error', retry);
  ws.on('close', (code) => (booted ? afterClose(st, code) : retry()));
  ws.on('message', (data: Buffer) => {
    if (data[1] === 0x32 /* a CALL from the CSMS */) return answerCall(st, data);
    if (booted) {
      if (st.phase === 3) onHeartbeatAnswer(st, data);
      return;
    }
    const frame = JSON.parse(data.toString()) as [number, string, Record<string, unknown>];
    if (frame[0] !== 3 || frame[2]?.status !== 'Accepted') return retry();
    booted = true;
    failover.reconnects += 1;
    failover.latency.record((performance.now() - closedAt) * 1000);
    st.phase = resume && hb ? 3 : 2;
    if (st.phase !== 3) return;
    if (st.busy) {
      failover.resent += 1;
      st.sentAt = performance.now();
      ws.send(st.lastFrame);
    } else if (st.waiting.length > 0) {
      hb!.queued -= 1;
      sendHeartbeat(st, st.waiting.shift()!);
    }
  });
}

/**
 * CALLs from the CSMS: GetLocalListVersion (sent after every accepted boot) gets "no list", like a
 * charger without one; a 1.6 GetConfiguration reports every asked key as "60" (writable) and a
 * ChangeConfiguration is Accepted, so configuration reconciliation can be measured; every other
 * action gets CALLERROR NotImplemented.
 */
let csmsCalls = 0;
function answerCall(st: Station, data: Buffer): void {
  csmsCalls += 1;
  const [, messageId, action, payload] = JSON.parse(data.toString()) as [number, string, string, { key?: string[] }];
  const reply = (body: unknown) => st.ws.send(JSON.stringify([3, messageId, body]));
  if (action === 'GetLocalListVersion') reply(st.protocol === 'ocpp1.6' ? { listVersion: 0 } : { versionNumber: 0 });
  else if (action === 'GetConfiguration') reply({ configurationKey: (payload.key ?? []).map((key) => ({ key, readonly: false, value: '60' })) });
  else if (action === 'ChangeConfiguration') reply({ status: 'Accepted' });
  else st.ws.send(JSON.stringify([4, messageId, 'NotImplemented', `load-generator station does not implement ${action}`, {}]));
}

// --- heartbeats ---------------------------------------------------------------------------

interface Run {
  cmd: HeartbeatCommand;
  measureFrom: number;
  stopAt: number;
  outstanding: number;
  /** Messages that fell due while their station was busy or reconnecting, not sent yet. */
  queued: number;
  result: HeartbeatReply;
  latency: Histogram;
  fromSchedule: Histogram;
  byKind: Map<string, Histogram>;
  /** paced: worst latency (ms) of each 100 ms of the window, to see whether slow answers come in bursts. */
  worstPer100ms: number[];
  /** Answers in each second of the window (by when they arrived). */
  answeredPerSecond: number[];
  finished?: () => void;
}
let hb: Run | null = null;

function sendHeartbeat(st: Station, scheduledAt: number): void {
  st.seq += 1;
  st.sentAt = performance.now();
  st.inFlightScheduledAt = scheduledAt;
  st.busy = true;
  hb!.outstanding += 1;
  const { frame, kind } = nextMessage(hb!.cmd.profile ?? { name: 'heartbeat' }, st.protocol, st.script, `m${st.seq}`);
  st.kind = kind;
  st.lastFrame = frame;
  st.ws.send(frame);
}

function onHeartbeatAnswer(st: Station, data: Buffer): void {
  const run = hb;
  if (!run) return;
  const now = performance.now();
  run.outstanding -= 1;
  st.busy = false;
  const paced = run.cmd.cmd === 'paced';
  // closed loop: answers received inside the window; paced: sends scheduled inside it.
  const inWindow = paced ? st.inFlightScheduledAt >= run.measureFrom : now >= run.measureFrom && now < run.stopAt;
  // The script learns from every answer (a transaction id answered in the warm-up is used after it).
  const accepted = data[1] === 0x33 ? onAnswer(st.kind, st.script, data) : true;
  if (data[1] !== 0x33 /* "3": CALLRESULT */) run.result.errors += 1;
  else if (inWindow) {
    run.result.completed += 1;
    run.latency.record((now - st.sentAt) * 1000);
    let kindLatency = run.byKind.get(st.kind);
    if (!kindLatency) run.byKind.set(st.kind, (kindLatency = new Histogram()));
    kindLatency.record((now - st.sentAt) * 1000);
    if (!accepted) run.result.notAccepted += 1;
    const second = Math.floor((now - run.measureFrom) / 1000);
    if (second >= 0) run.answeredPerSecond[second] = (run.answeredPerSecond[second] ?? 0) + 1;
    if (paced) {
      run.fromSchedule.record((now - st.inFlightScheduledAt) * 1000);
      const slot = Math.floor((now - run.measureFrom) / 100);
      run.worstPer100ms[slot] = Math.max(run.worstPer100ms[slot] ?? 0, now - st.sentAt);
    }
  }
  if (!paced) {
    if (now < run.stopAt) sendHeartbeat(st, now);
  } else if (st.waiting.length > 0) {
    run.queued -= 1;
    sendHeartbeat(st, st.waiting.shift()!);
  }
  if (run.outstanding === 0 && run.queued === 0 && now >= run.stopAt) run.finished?.();
}

async function heartbeats(cmd: HeartbeatCommand): Promise<HeartbeatReply> {
  const active = stations.filter((s) => s.phase === 2 && s.ws.readyState === WebSocket.OPEN);
  const start = performance.now() + Math.max(0, cmd.startAt - Date.now());
  const latency = new Histogram();
  const fromSchedule = new Histogram();
  const byKind = new Map<string, Histogram>();
  const result: HeartbeatReply = {
    completed: 0, errors: 0, latency: latency.toJSON(), fromSchedule: fromSchedule.toJSON(), late: 0, stations: active.length, dropped: 0, csmsCalls: 0, worstPer100ms: [],
    byKind: {}, notAccepted: 0, answeredPerSecond: [], failover: null, unsent: 0,
  };
  const run: Run = { cmd, measureFrom: start + cmd.warmupMs, stopAt: start + cmd.warmupMs + cmd.durationMs, outstanding: 0, queued: 0, result, latency, fromSchedule, byKind, worstPer100ms: [], answeredPerSecond: [] };
  hb = run;
  for (const st of active) st.phase = 3;
  const finished = new Promise<void>((r) => (run.finished = r));
  await untilEpoch(cmd.startAt);
  if (cmd.cmd === 'closed-loop') {
    for (const st of active) sendHeartbeat(st, performance.now());
  } else {
    // Open loop: send number k at start + k / rate to station k mod n, whatever the answers do.
    const interval = 1000 / (cmd.ratePerSec ?? 1);
    let k = 0;
    await new Promise<void>((doneSending) => {
      const tick = () => {
        const now = performance.now();
        for (let due = start + k * interval; due <= now && due < run.stopAt; due = start + ++k * interval) {
          const st = active[k % active.length]!;
          // Reconnecting, or closing and about to (the close frame came, the close event not yet).
          const away = st.phase === 4 || (connectCommand?.urls !== undefined && st.ws.readyState !== WebSocket.OPEN);
          if (!away && st.ws.readyState !== WebSocket.OPEN) continue;
          // A station that is away keeps what falls due and sends it once it is back.
          if (st.busy || away) {
            result.late += 1;
            st.waiting.push(due);
            run.queued += 1;
          } else sendHeartbeat(st, due);
        }
        if (now >= run.stopAt) doneSending();
        else setTimeout(tick, 1);
      };
      tick();
    });
  }
  const guard = setTimeout(() => run.finished?.(), Math.max(0, run.stopAt - performance.now()) + 15_000);
  if (run.outstanding === 0 && run.queued === 0 && performance.now() >= run.stopAt) run.finished?.();
  await finished;
  clearTimeout(guard);
  for (const st of active) st.phase = 2;
  hb = null;
  result.latency = latency.toJSON();
  result.fromSchedule = fromSchedule.toJSON();
  result.byKind = Object.fromEntries([...byKind].map(([kind, h]) => [kind, h.toJSON()]));
  result.dropped = dropped;
  result.unsent = run.queued;
  result.csmsCalls = csmsCalls;
  result.worstPer100ms = Array.from(run.worstPer100ms, (v) => Math.round((v ?? 0) * 10) / 10);
  result.answeredPerSecond = Array.from(run.answeredPerSecond, (v) => v ?? 0);
  if (connectCommand?.urls) result.failover = { ...failover, latency: failover.latency.toJSON(), openLatency: failover.openLatency.toJSON() };
  return result;
}

process.on('message', (message: Command) => {
  const run = async () => {
    if (message.cmd === 'connect') return connect(message);
    if (message.cmd === 'closed-loop' || message.cmd === 'paced') return heartbeats(message);
    for (const st of stations) st.ws.terminate();
    reply({ ok: true });
    setTimeout(() => process.exit(0), 50);
    return undefined;
  };
  run().then((value) => value !== undefined && reply(value), (error: unknown) => reply({ error: String(error) }));
});
process.on('disconnect', () => process.exit(0));
