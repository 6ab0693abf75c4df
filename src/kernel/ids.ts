/**
 * Station identity rules shared by the OCPP edge and the REST API.
 * OCPP 2.0.1 (Part 4 §3.1.1) allows up to 48 characters (OCPP 1.6 sets no
 * limit); we accept the URL-safe subset that real chargers use.
 */
const STATION_ID_PATTERN = /^[A-Za-z0-9._~:*+|@-]{1,48}$/;

export function isValidStationId(id: string): boolean {
  return STATION_ID_PATTERN.test(id);
}

export const stationIdPattern = STATION_ID_PATTERN.source;
