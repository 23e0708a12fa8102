/**
 * Percent-encoding for generated requests: UTF-8, except lone surrogates, which become the
 * bytes of their WTF-8 form (so broken UTF-8 reaches the parsers too). Characters `keep`
 * matches stay as they are.
 */
export function encodeLoosely(text: string, keep: RegExp): string {
  let out = "";
  for (const char of text) {
    if (keep.test(char)) {
      out += char;
      continue;
    }
    const code = char.codePointAt(0) ?? 0;
    const bytes =
      code >= 0xd800 && code <= 0xdfff
        ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        : [...Buffer.from(char, "utf8")];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return out;
}

/** RFC 3986 unreserved characters: the strict encoding keeps only these. */
export const strict = /^[A-Za-z0-9\-_.~]$/;
/** Printable ASCII kept as it is: brackets, `&`, `=`, `%` and all. */
export const loose = /^[\x21-\x7e]$/;
