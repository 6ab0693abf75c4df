/**
 * Calibration only, NOT the server under test: a bare `ws` server that
 * answers BootNotification, StatusNotification and Heartbeat with fixed
 * replies and does nothing else (no validation, storage or logging). Run by
 * `heartbeat-throughput.ts --bare` to show what the transport (loopback TCP,
 * WebSocket framing, one event loop) and the load generator reach on this
 * machine, i.e. the ceiling any OCPP server written on `ws` could approach.
 * Reads CHARGEBRIDGE_PORT / CHARGEBRIDGE_HOST like the real server.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type RawData } from 'ws';

const port = Number(process.env.CHARGEBRIDGE_PORT ?? 0);
const host = process.env.CHARGEBRIDGE_HOST ?? '127.0.0.1';

const http = createServer((request, response) => {
  response.writeHead(request.url === '/ready' ? 200 : 404).end();
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, handleProtocols: (offered) => [...offered][0] ?? false });

wss.on('connection', (ws) => {
  ws.on('message', (data: RawData) => {
    const text = data.toString();
    const idEnd = text.indexOf('"', 4);
    const messageId = text.slice(4, idEnd);
    const action = text.slice(idEnd + 3, text.indexOf('"', idEnd + 3));
    const now = new Date().toISOString();
    const payload = action === 'BootNotification' ? `{"status":"Accepted","currentTime":"${now}","interval":300}` : action === 'Heartbeat' ? `{"currentTime":"${now}"}` : '{}';
    ws.send(`[3,"${messageId}",${payload}]`);
  });
});

http.listen(port, host, () => process.stdout.write(`bare ws server is running on ${host}:${port}\n`));
process.once('SIGTERM', () => process.exit(0));
