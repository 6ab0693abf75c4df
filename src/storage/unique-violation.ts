/** Whether a database error is PostgreSQL's unique_violation (23505): an insert lost to a row that was there first. PGlite reports the same code. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
