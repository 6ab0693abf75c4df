/** timestamptz columns arrive as Date (pg) or string (some drivers, JSON); adapters read them through this. */
export const asDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));
