/**
 * The REST admin token: from CHARGEBRIDGE_ADMIN_TOKEN, or generated once and
 * kept in the data directory (mode 0600) so it survives restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AdminToken {
  token: string;
  source: 'environment' | 'generated' | 'file';
  path?: string;
}

export function resolveAdminToken(configured: string | undefined, dataDir: string): AdminToken {
  if (configured) return { token: configured, source: 'environment' };
  const path = join(dataDir, 'admin-token');
  if (existsSync(path)) return { token: readFileSync(path, 'utf8').trim(), source: 'file', path };
  mkdirSync(dataDir, { recursive: true });
  const token = `cb_${randomBytes(24).toString('base64url')}`;
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return { token, source: 'generated', path };
}
