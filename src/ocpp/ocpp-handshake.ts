/**
 * Pure checks on the HTTP upgrade request, before any socket is accepted:
 * the path names the station, the subprotocol is one we speak, and the Basic
 * credentials are well formed (OCPP 1.6 security whitepaper §2.3.1 /
 * OCPP 2.0.1 Part 2 A00.FR.201-205: username = station identity).
 */
import { isValidStationId } from '../kernel/ids.ts';
import { negotiateSubprotocol, type OcppSubprotocol } from './ocpp-subprotocols.ts';

import type { BasicCredentials } from './ocpp-ports.ts';

export type HandshakeCheck =
  | { ok: true; stationId: string; subprotocol: OcppSubprotocol; credentials: BasicCredentials | null }
  | { ok: false; status: number; reason: string; stationId?: string };

export const OCPP_PATH_PREFIX = '/ocpp/';

export function parseBasicAuth(header: string | undefined): BasicCredentials | null | 'malformed' {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function checkHandshake(
  url: string | undefined,
  headers: { 'sec-websocket-protocol'?: string; authorization?: string },
  accepted: readonly OcppSubprotocol[],
): HandshakeCheck {
  const path = (url ?? '').split('?')[0] ?? '';
  if (!path.startsWith(OCPP_PATH_PREFIX)) return { ok: false, status: 404, reason: 'OCPP endpoint is /ocpp/{stationId}' };
  let stationId: string;
  try {
    stationId = decodeURIComponent(path.slice(OCPP_PATH_PREFIX.length).replace(/\/+$/, ''));
  } catch {
    return { ok: false, status: 400, reason: 'station id is not valid percent-encoding' };
  }
  if (!isValidStationId(stationId)) return { ok: false, status: 400, reason: 'station id must be 1-48 characters of [A-Za-z0-9._~:*+|@-]' };
  const subprotocol = negotiateSubprotocol(headers['sec-websocket-protocol'], accepted);
  if (!subprotocol) {
    return { ok: false, status: 400, stationId, reason: `no supported OCPP subprotocol offered; this CSMS speaks ${accepted.join(', ')}` };
  }
  const credentials = parseBasicAuth(headers.authorization);
  if (credentials === 'malformed') return { ok: false, status: 401, stationId, reason: 'malformed Basic authorization header' };
  if (credentials && credentials.username !== stationId) {
    return { ok: false, status: 401, stationId, reason: 'Basic auth username must equal the station id' };
  }
  return { ok: true, stationId, subprotocol, credentials };
}
