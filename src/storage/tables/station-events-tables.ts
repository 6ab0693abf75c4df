/** Row types of the station-events capability's tables (migration 0023-station-events). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StationEventsTables {}
