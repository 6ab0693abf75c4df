/**
 * Payments at OCPP 2.1 stations (payment-settlement.ts): settlements a station's payment terminal
 * reports are kept before the station is answered; a paid session started from our pay page at a
 * station that shows web payments is announced to it (NotifyWebPaymentStarted) just before its
 * remote start, through the same per-station command queue, so the notice arrives first.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../kernel/time.ts';
import type { TenantScope } from '../../kernel/tenant-scope.ts';
import type { AnyCommandInput, Command } from '../commands/index.ts';
import { tookNoMoney, webPaymentNotice, WEB_PAYMENT_STARTED, type Settlement, type SettlementReport, type SettlementView } from './payment-settlement.ts';
import type { SettlementRepository } from './payment-settlement-repository.ts';

export interface SettlementDeps {
  repo: SettlementRepository;
  /** The station's version and labels; null when it does not exist. */
  station(stationId: string): Promise<{ ocppVersion: string | null; labels: Readonly<Record<string, string>> } | null>;
  commands: { submit(stationId: string, input: AnyCommandInput): Promise<Command> };
  clock: Clock;
  log: Logger;
}

export class SettlementService {
  private readonly log: Logger;

  constructor(private readonly deps: SettlementDeps) {
    this.log = deps.log.child({ component: 'payment-settlements' });
  }

  /** Keeps what a station settled; a retried message is kept once. */
  async record(where: { stationId: string; tenantId: string; receivedAt: Date }, report: SettlementReport): Promise<Settlement> {
    const settlement: Settlement = { id: randomUUID(), ...where, ...report };
    const added = await this.deps.repo.add(settlement);
    const context = { stationId: where.stationId, ocppTransactionId: report.ocppTransactionId, pspRef: report.pspRef, status: report.status, amount: report.amount };
    if (!added) this.log.debug(context, 'settlement received again; kept once');
    else if (report.ocppTransactionId === null) this.log.info(context, 'settlement of a payment cancelled before its transaction started');
    else this.log.info(context, tookNoMoney(report) ? 'settlement without money taken (cancelled before any cost, or refused)' : 'settlement received');
    return settlement;
  }

  list(scope: TenantScope, stationId: string, page: { limit: number; offset: number }): Promise<{ items: SettlementView[]; total: number }> {
    return this.deps.repo.list(scope, stationId, page);
  }

  /**
   * Before a paid session's remote start: tells a 2.1 station that shows web payments that one
   * started at the EVSE. Never stands in the way of the start: a failure is logged.
   */
  async announceWebPayment(stationId: string, evseId: number | null): Promise<void> {
    try {
      const station = await this.deps.station(stationId);
      const params = station && webPaymentNotice(station, evseId);
      if (!params) return;
      const command = await this.deps.commands.submit(stationId, { type: WEB_PAYMENT_STARTED, params });
      this.log.debug({ stationId, evseId, commandId: command.id }, 'web payment announced to the station');
    } catch (error) {
      this.log.warn({ err: error, stationId, evseId }, 'web payment not announced to the station; the session starts anyway');
    }
  }
}
