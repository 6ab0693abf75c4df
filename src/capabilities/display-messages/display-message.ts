/**
 * Display messages core: the CSMS's view of the messages a station shows its
 * users, in the API's own words (no OCPP enum spelling), and the pure decisions
 * about it: parameter rules, how a report part changes a report, what state a
 * report is in. Time comes in as values; nothing here reads a clock.
 *
 * A message's row keeps three independent facts, because they can disagree:
 * what the CSMS last asked to show (and the station's answer), what the
 * station last reported having, and what the CSMS last asked to clear.
 */

export const DISPLAY_PRIORITIES = ['alwaysFront', 'inFront', 'normalCycle'] as const;
export type DisplayPriority = (typeof DISPLAY_PRIORITIES)[number];

/** `suspended` and `discharging` exist from OCPP 2.1 on. */
export const DISPLAY_STATES = ['charging', 'faulted', 'idle', 'unavailable', 'suspended', 'discharging'] as const;
export type DisplayState = (typeof DISPLAY_STATES)[number];

/** `qrCode` exists from OCPP 2.1 on. */
export const DISPLAY_FORMATS = ['ascii', 'html', 'uri', 'utf8', 'qrCode'] as const;
export type DisplayFormat = (typeof DISPLAY_FORMATS)[number];

/** The longest content any version accepts (2.1; 2.0.1 takes 512). */
export const CONTENT_MAX = 1024;
/** Message ids and request ids are OCPP integers, 32-bit in practice. */
export const ID_MAX = 2_147_483_647;

export interface DisplayContent {
  format: DisplayFormat;
  language?: string;
  content: string;
}

/** Where on the station the message shows: a display component, optionally of an EVSE. */
export interface DisplayTarget {
  name: string;
  instance?: string;
  evseId?: number;
  connectorId?: number;
}

/** One message as set or reported, version-neutral. */
export interface DisplayMessageSpec {
  id: number;
  priority: DisplayPriority;
  state?: DisplayState;
  startDateTime?: string;
  endDateTime?: string;
  /** The station's own transaction id the message belongs to. */
  transactionId?: string;
  message: DisplayContent;
  display?: DisplayTarget;
}

/** The parameters of `setDisplayMessage`: the spec, its id filled in by the CSMS when absent. */
export type SetDisplayMessageParams = Omit<DisplayMessageSpec, 'id'> & { id?: number };

export interface GetDisplayMessagesParams {
  /** Assigned by the CSMS when the command is submitted. */
  requestId?: number;
  ids?: number[];
  priority?: DisplayPriority;
  state?: DisplayState;
}

export interface ClearDisplayMessageParams {
  id: number;
}

/** What a command's answer tells beyond its state, as the version adapters read it. */
export interface DisplayAnswer {
  /** The station's own status word, for display. */
  status: string;
  reason?: { code: string; info?: string };
  /** Clear: false when the station did not know the message (it is not shown either way). */
  known?: boolean;
}

/** The outcome of a command as the CSMS records it; `pending` until it settles. */
export const OUTCOMES = ['pending', 'accepted', 'rejected', 'failed', 'expired'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface CommandFact {
  outcome: Outcome;
  /** The station's own status word (Accepted, NotSupportedPriority, Unknown, ...), for display. */
  stationStatus: string | null;
  at: Date;
  commandId: string | null;
}

export interface DisplayMessageRecord {
  stationId: string;
  tenantId: string;
  id: number;
  /** Whether, as far as the CSMS knows, the station holds the message now. */
  onStation: boolean;
  set: (CommandFact & { spec: DisplayMessageSpec }) | null;
  reported: { spec: DisplayMessageSpec; at: Date; requestId: number } | null;
  cleared: CommandFact | null;
  updatedAt: Date;
}

export const REPORT_FLAGS = ['unrequested', 'partAfterLast', 'tooManyParts', 'tooManyMessages'] as const;
export type ReportFlag = (typeof REPORT_FLAGS)[number];

/** One GetDisplayMessages request and the NotifyDisplayMessages parts that answered it. */
export interface DisplayReportRecord {
  stationId: string;
  tenantId: string;
  requestId: number;
  /** Null when the station reported for a request the CSMS never made. */
  requestedAt: Date | null;
  filters: Omit<GetDisplayMessagesParams, 'requestId'>;
  /** How the station answered the request: pending until then; `accepted` announces parts, `rejected` (no matching message) announces none. */
  answer: Outcome;
  parts: number;
  messages: number;
  /** Whether the part that said "nothing follows" arrived. */
  lastPartReceived: boolean;
  firstPartAt: Date | null;
  lastPartAt: Date | null;
  flags: ReportFlag[];
}

/** A report still receiving after this long without a part is shown as incomplete (a tbc that never ends). */
export const REPORT_STALE_AFTER_MS = 10 * 60_000;
/** Parts kept per report; later ones are counted and flagged, their messages dropped (a station that never stops). */
export const MAX_REPORT_PARTS = 500;
/** Messages the CSMS keeps per station; reported messages beyond it are dropped and the report flagged. */
export const MAX_MESSAGES_PER_STATION = 1000;
/** How many recent reports the view lists. */
export const REPORTS_SHOWN = 20;

export type ReportState = 'requested' | 'receiving' | 'complete' | 'noMessages' | 'incomplete' | 'failed';

/** What a report amounts to at `now`. */
export function reportState(report: DisplayReportRecord, now: Date): ReportState {
  if (report.answer === 'failed' || report.answer === 'expired') return 'failed';
  if (report.answer === 'rejected' && report.parts === 0) return 'noMessages';
  if (report.lastPartReceived) return 'complete';
  const since = report.lastPartAt ?? report.requestedAt;
  if (since && now.getTime() - since.getTime() >= REPORT_STALE_AFTER_MS) return 'incomplete';
  return report.parts === 0 ? 'requested' : 'receiving';
}

/** The report after one more part (`last`: the part said nothing follows), and whether its messages are kept. */
export function applyReportPart(report: DisplayReportRecord, part: { messages: number; last: boolean; at: Date }): { report: DisplayReportRecord; keepMessages: boolean } {
  const flags = new Set(report.flags);
  if (report.requestedAt === null) flags.add('unrequested');
  if (report.lastPartReceived) flags.add('partAfterLast');
  const keepMessages = report.parts < MAX_REPORT_PARTS;
  if (!keepMessages) flags.add('tooManyParts');
  return {
    keepMessages,
    report: {
      ...report,
      parts: report.parts + 1,
      messages: report.messages + (keepMessages ? part.messages : 0),
      lastPartReceived: report.lastPartReceived || part.last,
      firstPartAt: report.firstPartAt ?? part.at,
      lastPartAt: part.at,
      flags: REPORT_FLAGS.filter((flag) => flags.has(flag)),
    },
  };
}

/** A report the station sent for a request the CSMS does not know: stored all the same, flagged. */
export function unrequestedReport(stationId: string, tenantId: string, requestId: number): DisplayReportRecord {
  return {
    stationId,
    tenantId,
    requestId,
    requestedAt: null,
    filters: {},
    answer: 'pending',
    parts: 0,
    messages: 0,
    lastPartReceived: false,
    firstPartAt: null,
    lastPartAt: null,
    flags: ['unrequested'],
  };
}

/** A complete report of every message (no filter) tells which messages the station no longer has. */
export function reportsEverything(report: DisplayReportRecord): boolean {
  const f = report.filters;
  return report.requestedAt !== null && f.ids === undefined && f.priority === undefined && f.state === undefined;
}

/** The outcome a final command state means for the view. */
export function outcomeOf(state: string): Outcome {
  return (OUTCOMES as readonly string[]).includes(state) ? (state as Outcome) : 'failed';
}

/** Rules of `setDisplayMessage` the schema cannot state: the problem, or null. */
export function checkSetParams(params: SetDisplayMessageParams): string | null {
  if (params.message.content.length === 0) return 'message.content must not be empty';
  const start = params.startDateTime === undefined ? null : Date.parse(params.startDateTime);
  const end = params.endDateTime === undefined ? null : Date.parse(params.endDateTime);
  if (start !== null && end !== null && end <= start) return 'endDateTime must be after startDateTime';
  if (params.display?.connectorId !== undefined && params.display.evseId === undefined) return 'display.connectorId needs display.evseId';
  return null;
}

export function checkGetParams(params: GetDisplayMessagesParams): string | null {
  if (params.ids && new Set(params.ids).size !== params.ids.length) return 'ids must not repeat';
  return null;
}
