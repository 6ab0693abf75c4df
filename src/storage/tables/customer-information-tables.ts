/** Row types of the customer-information capability's tables (migration 0028-customer-information). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CustomerInformationTables {}
