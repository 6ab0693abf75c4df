/**
 * Authorization core: what the CSMS says about an id token at a moment.
 * Pure; the service keeps every token in memory so a decision is a Map lookup.
 */

/** Statuses an operator sets on a token. */
export type TokenStatus = 'Accepted' | 'Blocked' | 'Invalid';

/** Decisions, in OCPP 2.0.1 AuthorizationStatusEnumType words (1.6 adapters map Unknown to Invalid). */
export type AuthorizationDecision = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'Unknown' | 'NotAllowedTypeEVSE';

/** Token types of OCPP 2.0.1 IdTokenEnumType; 1.6 idTags are stored as ISO14443 unless told otherwise. */
export const ID_TOKEN_TYPES = ['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'] as const;
export type IdTokenType = (typeof ID_TOKEN_TYPES)[number];

export interface IdToken {
  idToken: string;
  /** The tenant whose stations accept it; a station of another tenant does not know it (ADR 20). */
  tenantId: string;
  type: IdTokenType;
  status: TokenStatus;
  expiresAt: Date | null;
  /** Group (1.6 parentIdTag / 2.0.1 groupIdToken). */
  groupId: string | null;
  /** Sent to stations in their local authorization list, for charging while offline. */
  inLocalList: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface Decision {
  status: AuthorizationDecision;
  expiresAt: Date | null;
  groupId: string | null;
}

/**
 * A token is accepted when it is known, not blocked or invalid, not expired,
 * and its group (if any) is not blocked: blocking a fleet card's group blocks
 * every card in it.
 */
export function decide(token: IdToken | undefined, group: IdToken | undefined, at: Date): Decision {
  if (!token) return { status: 'Unknown', expiresAt: null, groupId: null };
  const base = { expiresAt: token.expiresAt, groupId: token.groupId };
  if (token.status !== 'Accepted') return { status: token.status, ...base };
  if (token.expiresAt && token.expiresAt <= at) return { status: 'Expired', ...base };
  if (group && group.status === 'Blocked') return { status: 'Blocked', ...base };
  return { status: 'Accepted', ...base };
}

/** A token as an operator creates or imports it (REST, CSV). */
export interface TokenInput {
  idToken: string;
  /** The owning tenant; set by the service from the caller, never taken from a CSV line. */
  tenantId?: string;
  type?: IdTokenType;
  status?: TokenStatus;
  expiresAt?: string | null;
  groupId?: string | null;
  inLocalList?: boolean;
}
