/** Shared by the vendor-extension tests: the shipped example profiles, read from vendor-profiles/. */
import { readFileSync } from 'node:fs';

export function exampleProfile(name: 'liquid-cooling' | 'advertising-screen'): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../vendor-profiles/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
