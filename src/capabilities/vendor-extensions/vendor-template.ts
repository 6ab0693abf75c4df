/**
 * Outbound command templates: a profile's `data` is any JSON in which a string that is exactly
 * "{{name}}" becomes the parameter's value (its JSON type kept; the key is left out when the
 * parameter is absent), and "{{name}}" inside a longer string becomes the parameter's text. Pure.
 */
const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const INSIDE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type Rendered = { ok: true; data: unknown } | { ok: false; problem: string };

const ABSENT = Symbol('absent');

function render(template: unknown, parameters: Readonly<Record<string, unknown>>, path: string): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) return Object.hasOwn(parameters, whole[1] as string) ? parameters[whole[1] as string] : ABSENT;
    return template.replace(INSIDE, (_match, name: string) => {
      if (!Object.hasOwn(parameters, name)) throw new Error(`${path}: parameter ${name} is missing`);
      const value = parameters[name];
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
  if (Array.isArray(template)) return template.map((item, index) => render(item, parameters, `${path}/${index}`)).filter((item) => item !== ABSENT);
  if (typeof template === 'object' && template !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const rendered = render(value, parameters, `${path}/${key}`);
      if (rendered !== ABSENT) out[key] = rendered;
    }
    return out;
  }
  return template;
}

export function renderTemplate(template: unknown, parameters: Readonly<Record<string, unknown>>): Rendered {
  try {
    const data = render(template, parameters, '');
    return data === ABSENT ? { ok: true, data: undefined } : { ok: true, data };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}
