/** Row types of the display-messages capability's tables (migration 0027-display-messages). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DisplayMessageTables {}
