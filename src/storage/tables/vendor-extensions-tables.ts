/** Row types of the vendor-extensions capability's tables (migration 0026-vendor-extensions). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VendorExtensionTables {}
