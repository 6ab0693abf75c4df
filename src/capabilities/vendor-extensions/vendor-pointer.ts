/**
 * JSON Pointer (RFC 6901) over parsed JSON: "" is the whole value, "/a/0/b" walks objects and
 * arrays, "~1" stands for "/" and "~0" for "~". Pure.
 */
export type JsonPointer = string;

const SYNTAX = /^(\/([^~/]|~[01])*)*$/;

export function isPointer(value: string): boolean {
  return SYNTAX.test(value);
}

/** The value at the pointer, or undefined when the path leads nowhere. */
export function resolvePointer(root: unknown, pointer: JsonPointer): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}
