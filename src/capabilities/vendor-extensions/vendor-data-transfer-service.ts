/**
 * Inbound DataTransfer (issue 14): every message is kept raw, matched against the station's tenant's
 * profiles (vendor-match.ts), checked against the matched message's schema and turned into metrics
 * and events. The answer follows the match: unknown vendor, unknown message, accepted, or rejected
 * when the payload fails its schema (then kept and flagged with the problems). Content never makes
 * a CALLERROR. Also: 2.x customData of any message, and the outbound `vendorCommand` rendering.
 */
import type { Logger } from 'pino';
import { CodedError } from '../../kernel/errors.ts';
import { normaliseCustomData } from './vendor-custom-data.ts';
import { decodeData, matchInbound, needsIdentity, type StationIdentity } from './vendor-match.ts';
import { normalise } from './vendor-normalise.ts';
import { commandName, type Encoding, type InboundRule } from './vendor-profile.ts';
import type { DataTransferRecord, NormalisedOutput, Page, StoredMetric, StoredVendorEvent, TransferOutcome } from './vendor-records.ts';
import type { EventFilter, MetricFilter, TransferFilter, VendorDataRepository } from './vendor-repository.ts';
import type { LoadedProfile, VendorProfileService } from './vendor-profile-service.ts';
import { renderTemplate } from './vendor-template.ts';

/** What the capability needs to know of a station. */
export interface VendorStationSource {
  /** Its boot vendor and model (null when it never booted or does not exist). */
  identity(stationId: string): Promise<StationIdentity>;
  /** Its tenant, or null when there is no such station. */
  tenantOf(stationId: string): Promise<string | null>;
}

export interface InboundContext {
  stationId: string;
  tenantId: string;
  receivedAt: Date;
}

export interface InboundTransfer {
  vendorId: string;
  messageId?: string;
  data?: unknown;
  /** The whole request as received. */
  payload: unknown;
  /** OCPP 1.6: data is a string, read as the profile's encoding says. */
  dataIsText: boolean;
}

/** How the message was answered, and for a rejected one why. */
export interface TransferAnswer {
  outcome: TransferOutcome;
  problems: string[];
}

export interface VendorCommandParams extends Record<string, unknown> {
  profileId: string;
  command: string;
  parameters?: Record<string, unknown>;
}

/** A vendorCommand as stored after submission: the rendered message beside what was asked. */
export interface PreparedVendorCommand extends VendorCommandParams {
  vendorId: string;
  messageId?: string;
  data?: unknown;
  /** `data` as JSON text in the template's key order (the command store may reorder object keys). */
  dataText?: string;
  encoding: Encoding;
}

const NO_IDENTITY: StationIdentity = { vendor: null, model: null };

export class VendorDataTransferService {
  constructor(
    private readonly profiles: VendorProfileService,
    private readonly repo: VendorDataRepository,
    private readonly stations: VendorStationSource,
    private readonly log: Logger,
  ) {}

  async receive(ctx: InboundContext, transfer: InboundTransfer): Promise<TransferAnswer> {
    const loaded = await this.profiles.forVendor(ctx.tenantId, transfer.vendorId);
    const identity = needsIdentity(loaded.map((l) => l.profile)) ? await this.stations.identity(ctx.stationId) : NO_IDENTITY;
    const match = matchInbound(
      loaded.map((l) => l.profile),
      identity,
      transfer.vendorId,
      transfer.messageId,
    );
    const base = { tenantId: ctx.tenantId, stationId: ctx.stationId, vendorId: transfer.vendorId, messageId: transfer.messageId ?? null, payload: transfer.payload, receivedAt: ctx.receivedAt };
    if (match.kind !== 'matched') {
      const outcome: TransferOutcome = match.kind === 'unknown-vendor' ? 'unknownVendor' : 'unknownMessage';
      await this.repo.record({ ...base, outcome, profileId: match.kind === 'unknown-message' ? match.profile.id : null, flagged: false, problems: [] }, null);
      return { outcome, problems: [] };
    }
    const { profile, message } = match;
    const source = loaded.find((l) => l.profile === profile) as LoadedProfile;
    const decoded = decodeData(message, transfer.data, transfer.dataIsText);
    const validation = decoded.ok
      ? this.profiles.validate(source, `/messages/${profile.messages.indexOf(message)}/schema`, message.schema, decoded.value)
      : { ok: false as const, problems: [decoded.problem] };
    if (!validation.ok) {
      this.log.warn({ stationId: ctx.stationId, profileId: profile.id, messageId: transfer.messageId, problems: validation.problems }, 'vendor message failed its profile; kept and flagged');
      await this.repo.record({ ...base, outcome: 'rejected', profileId: profile.id, flagged: true, problems: validation.problems }, null);
      return { outcome: 'rejected', problems: validation.problems };
    }
    const value = decoded.ok ? decoded.value : undefined;
    const found = normalise(message.normalise as InboundRule[], value, ctx.receivedAt);
    if (found.skipped.length > 0) this.log.debug({ stationId: ctx.stationId, profileId: profile.id, skipped: found.skipped }, 'vendor rules that yielded nothing');
    const output: NormalisedOutput = { tenantId: ctx.tenantId, stationId: ctx.stationId, profileId: profile.id, metrics: found.metrics, events: found.events };
    await this.repo.record({ ...base, outcome: 'accepted', profileId: profile.id, flagged: false, problems: [] }, output);
    return { outcome: 'accepted', problems: [] };
  }

  /**
   * What the tenant's profiles make of the customData in a 2.x message, stored; for any capability
   * that handles a message carrying it. Returns how many metrics and events were kept.
   */
  async applyCustomData(ctx: InboundContext, action: string, payload: unknown): Promise<{ metrics: number; events: number }> {
    const loaded = (await this.profiles.forTenant(ctx.tenantId)).filter((l) => l.profile.customData.some((m) => m.action === action));
    if (loaded.length === 0) return { metrics: 0, events: 0 };
    const profiles = loaded.map((l) => l.profile);
    const identity = needsIdentity(profiles) ? await this.stations.identity(ctx.stationId) : NO_IDENTITY;
    let metrics = 0;
    let events = 0;
    for (const result of normaliseCustomData(profiles, identity, action, payload, ctx.receivedAt)) {
      await this.repo.recordOutput({ tenantId: ctx.tenantId, stationId: ctx.stationId, profileId: result.profileId, metrics: result.metrics, events: result.events }, null);
      metrics += result.metrics.length;
      events += result.events.length;
    }
    return { metrics, events };
  }

  /** Renders a profile's outbound command for the station's tenant; invalid-input names what is wrong. */
  async prepareCommand(stationId: string, params: VendorCommandParams): Promise<PreparedVendorCommand> {
    const loaded = await this.profiles.one(await this.tenantOfStation(stationId), params.profileId);
    if (!loaded) throw new CodedError('invalid-input', `profileId: the station's tenant has no vendor profile ${params.profileId}`);
    const { profile } = loaded;
    for (const [index, message] of profile.messages.entries()) {
      if (message.direction !== 'outbound') continue;
      for (const [ruleIndex, rule] of message.normalise.entries()) {
        if (rule.kind !== 'command' || commandName(message, rule) !== params.command) continue;
        const parameters = params.parameters ?? {};
        if (rule.parameters) {
          const checked = this.profiles.validate(loaded, `${message.rulePaths[ruleIndex]}/parameters`, rule.parameters, parameters);
          if (!checked.ok) throw new CodedError('invalid-input', `parameters: ${checked.problems.join('; ')}`);
        }
        const rendered = renderTemplate(rule.data, parameters);
        if (!rendered.ok) throw new CodedError('invalid-input', `parameters: ${rendered.problem}`);
        const valid = this.profiles.validate(loaded, `/messages/${index}/schema`, message.schema, rendered.data);
        if (!valid.ok) throw new CodedError('invalid-input', `the rendered data fails the profile's schema: ${valid.problems.join('; ')}`);
        return {
          ...params,
          parameters,
          vendorId: profile.vendorId,
          ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
          ...(rendered.data !== undefined ? { data: rendered.data, dataText: JSON.stringify(rendered.data) } : {}),
          encoding: message.encoding,
        };
      }
    }
    throw new CodedError('invalid-input', `command: the profile ${profile.id} has no outbound command ${params.command}`);
  }

  // --- Reads for the station's REST routes (the edge checked the caller sees the station) ---------

  async transfers(stationId: string, filter: TransferFilter): Promise<Page<DataTransferRecord>> {
    return this.repo.transfers(await this.tenantOfStation(stationId), stationId, filter);
  }

  async metrics(stationId: string, filter: MetricFilter): Promise<Page<StoredMetric>> {
    return this.repo.metrics(await this.tenantOfStation(stationId), stationId, filter);
  }

  async events(stationId: string, filter: EventFilter): Promise<Page<StoredVendorEvent>> {
    return this.repo.events(await this.tenantOfStation(stationId), stationId, filter);
  }

  private async tenantOfStation(stationId: string): Promise<string> {
    const tenantId = await this.stations.tenantOf(stationId);
    if (tenantId === null) throw new CodedError('not-found', `station ${stationId} does not exist`);
    return tenantId;
  }
}
