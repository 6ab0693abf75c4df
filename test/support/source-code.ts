/**
 * Reading the project's own sources, for the tests that check a rule by scanning them
 * (core files never await, no OCPP action names outside the adapters, every raised error
 * code is registered).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** TypeScript files under these paths (relative to the repository), tracked or new but not ignored. */
export function sourceFiles(...paths: string[]): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...paths], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('.ts'));
}

export function readSource(file: string): string {
  return readFileSync(new URL(file, `file://${ROOT}`), 'utf8');
}

/**
 * The code without its comments: block comments, whole comment lines, and a `//` comment after
 * code when preceded by white space (a `//` inside a string such as a URL stays).
 */
export function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/.*$/gm, '');
}
