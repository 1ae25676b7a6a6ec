/**
 * Escaping HTML, and a tagged template that escapes everything interpolated
 * into it unless it is already {@link SafeHtml}.
 *
 * @module
 */

/** A fragment of markup that is already safe to send as-is. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Marks trusted markup as safe. Never call it with user input. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Builds markup. Interpolated values are escaped, except {@link SafeHtml}
 * (kept as-is); arrays are rendered item by item; `null`, `undefined` and
 * `false` render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}
