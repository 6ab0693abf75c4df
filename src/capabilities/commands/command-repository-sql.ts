/** Kysely adapter of the commands port: one SQL for PGlite and PostgreSQL. */
import type { Selectable } from 'kysely';
import { asDate } from '../../storage/as-date.ts';
import type { Database } from '../../storage/database.ts';
import type { CommandsTable } from '../../storage/tables/command-tables.ts';
import type { Command, CommandAnswer, CommandState } from './command.ts';
import type { CommandListFilter, CommandRepository } from './command-repository.ts';


/** PostgreSQL foreign_key_violation: the station was never there or was deleted meanwhile. */
const FOREIGN_KEY_VIOLATION = '23503';

function toCommand(row: Selectable<CommandsTable>): Command {
  return {
    id: row.id,
    stationId: row.station_id,
    type: row.type,
    params: row.params ?? {},
    state: row.state as CommandState,
    createdAt: asDate(row.created_at) as Date,
    sentAt: asDate(row.sent_at),
    answeredAt: asDate(row.answered_at),
    expiresAt: asDate(row.expires_at) as Date,
    response: (row.response as CommandAnswer | null) ?? null,
    error: row.error,
    attempts: row.attempts,
  } as Command;
}

export class SqlCommandRepository implements CommandRepository {
  constructor(private readonly db: Database) {}

  async create(command: Command): Promise<boolean> {
    try {
      await this.db
        .insertInto('commands')
        .values({
          id: command.id,
          station_id: command.stationId,
          type: command.type,
          params: JSON.stringify(command.params),
          state: command.state,
          created_at: command.createdAt,
          sent_at: command.sentAt,
          answered_at: command.answeredAt,
          expires_at: command.expiresAt,
          response: command.response === null ? null : JSON.stringify(command.response),
          error: command.error,
          attempts: command.attempts,
        })
        .execute();
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  async find(id: string): Promise<Command | null> {
    const row = await this.db.selectFrom('commands').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toCommand(row) : null;
  }

  async list(stationId: string, filter: CommandListFilter): Promise<{ items: Command[]; total: number }> {
    let query = this.db.selectFrom('commands').where('station_id', '=', stationId);
    if (filter.state) query = query.where('state', '=', filter.state);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toCommand), total: Number(count.total) };
  }

  async nextQueued(stationId: string): Promise<Command | null> {
    const row = await this.db
      .selectFrom('commands')
      .selectAll()
      .where('station_id', '=', stationId)
      .where('state', '=', 'queued')
      .orderBy('seq', 'asc')
      .limit(1)
      .executeTakeFirst();
    return row ? toCommand(row) : null;
  }

  async saveTransition(command: Command, expectedState: CommandState): Promise<Command | null> {
    const row = await this.db
      .updateTable('commands')
      .set({
        state: command.state,
        sent_at: command.sentAt,
        answered_at: command.answeredAt,
        response: command.response === null ? null : JSON.stringify(command.response),
        error: command.error,
        attempts: command.attempts,
      })
      .where('id', '=', command.id)
      .where('state', '=', expectedState)
      .returningAll()
      .executeTakeFirst();
    return row ? toCommand(row) : null;
  }

  async expireDue(now: Date): Promise<Command[]> {
    const rows = await this.db
      .updateTable('commands')
      .set({ state: 'expired' })
      .where('state', '=', 'queued')
      .where('expires_at', '<=', now)
      .returningAll()
      .execute();
    return rows.map(toCommand);
  }

  async failInFlight(error: string, at: Date, sentBefore?: Date): Promise<Command[]> {
    let query = this.db.updateTable('commands').set({ state: 'failed', error, answered_at: at }).where('state', '=', 'sent');
    if (sentBefore) query = query.where('sent_at', '<', sentBefore);
    const rows = await query.returningAll().execute();
    return rows.map(toCommand);
  }

  async stationsWithQueued(): Promise<string[]> {
    const rows = await this.db.selectFrom('commands').select('station_id').distinct().where('state', '=', 'queued').execute();
    return rows.map((row) => row.station_id);
  }
}
