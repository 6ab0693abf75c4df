/** Row types of the device-model capability's tables (migration 0024-device-model). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DeviceModelTables {}
