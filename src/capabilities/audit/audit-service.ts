/**
 * Records and reads the audit trail. API calls arrive from the HTTP edge (http-audit-hook.ts); the
 * outcome of every command sent to a station arrives as its `command.finished` event, so commands
 * that no person sent (the stuck ladder, offline settings) are on the trail too. Writes are batched:
 * the calls that finish together are recorded in one statement.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import { BatchQueue } from '../../storage/batch-queue.ts';
import { actionOf, type AuditEntry, type NewAuditEntry } from './audit.ts';
import type { AuditFilter, AuditRepository } from './audit-repository.ts';

export interface CommandOutcome {
  stationId: string;
  tenantId: string | null;
  commandId: string;
  commandType: string;
  state: string;
  error: string | null;
  at: Date;
}

export interface RecordedCall {
  actor: NewAuditEntry['actor'];
  tenantId: string | null;
  method: string;
  route: string;
  path: string;
  stationId: string | null;
  requestId: string;
  status: number;
  code: string | null;
  resourceId: string | null;
}

export class AuditService {
  private readonly writer: BatchQueue<NewAuditEntry>;

  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.writer = new BatchQueue((entries) => repo.append(entries), 500);
  }

  recordCall(call: RecordedCall): Promise<void> {
    return this.writer.add({
      at: this.clock(),
      tenantId: call.tenantId,
      actor: call.actor,
      action: actionOf(call.method, call.route),
      path: call.path,
      stationId: call.stationId,
      requestId: call.requestId,
      outcome: { status: call.status, code: call.code },
      detail: call.resourceId ? { resourceId: call.resourceId } : null,
    });
  }

  /** A command's final state, whoever sent it; not awaited by the command's path (the event already happened). */
  recordCommand(outcome: CommandOutcome): void {
    this.writer
      .add({
        at: outcome.at,
        tenantId: outcome.tenantId,
        actor: { kind: 'system', id: null, label: 'command delivery' },
        action: `command ${outcome.commandType}`,
        path: null,
        stationId: outcome.stationId,
        requestId: null,
        outcome: { status: null, code: outcome.state },
        detail: outcome.error ? { commandId: outcome.commandId, error: outcome.error } : { commandId: outcome.commandId },
      })
      .catch((error: unknown) => this.log.error({ err: error, stationId: outcome.stationId, commandId: outcome.commandId }, 'audit record of a command not written'));
  }

  async list(scope: TenantScope, filter: AuditFilter): Promise<AuditEntry[]> {
    await this.writer.drain();
    return this.repo.list(scope, filter);
  }

  drain(): Promise<void> {
    return this.writer.drain();
  }
}
