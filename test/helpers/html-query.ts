/**
 * Reading values out of server-rendered HTML in tests, with regular
 * expressions: enough for pages whose markup the tests control.
 *
 * @module
 */

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes character references (`&amp;`, `&#39;`, `&#x27;`, …). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return String.fromCodePoint(code);
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The text inside tags, markup removed and entities decoded. */
export function textContent(markup: string): string {
  return decodeEntities(markup.replace(/<[^>]*>/g, '')).trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text of the element with this id, or `undefined` when there is none.
 * The element must not contain an element with the same tag name.
 */
export function textById(html: string, id: string): string | undefined {
  const match = new RegExp(
    `<([a-z][a-z0-9]*)\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>([\\s\\S]*?)</\\1>`,
    'i',
  ).exec(html);
  return match ? textContent(match[2] ?? '') : undefined;
}

/** The texts of every element carrying this class, in document order. */
export function textsByClass(html: string, className: string): string[] {
  const pattern = new RegExp(
    `<([a-z][a-z0-9]*)\\b[^>]*\\bclass="(?:[^"]*\\s)?${escapeRegExp(className)}(?:\\s[^"]*)?"[^>]*>([\\s\\S]*?)</\\1>`,
    'gi',
  );
  return [...html.matchAll(pattern)].map((match) => textContent(match[2] ?? ''));
}

/** The attributes of every element carrying this class, decoded, in document order. */
export function attributesByClass(html: string, className: string): Record<string, string>[] {
  const pattern = new RegExp(
    `<[a-z][a-z0-9]*\\b[^>]*\\bclass="(?:[^"]*\\s)?${escapeRegExp(className)}(?:\\s[^"]*)?"[^>]*>`,
    'gi',
  );
  return [...html.matchAll(pattern)].map(([tag]) => {
    const attributes: Record<string, string> = {};
    for (const [, name, value] of tag.matchAll(/([a-z][a-z0-9-]*)="([^"]*)"/gi)) {
      if (name !== undefined) attributes[name.toLowerCase()] = decodeEntities(value ?? '');
    }
    return attributes;
  });
}
