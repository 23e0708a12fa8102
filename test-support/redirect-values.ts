import fc from "fast-check";

/**
 * Generated `callbackUrl` values for the open-redirect tests (catalogue A4): pieces that
 * matter to URL parsers (slashes, backslashes, dot segments, percent signs and their encoded
 * forms, schemes, userinfo, query and fragment marks, tabs and newlines, look-alike non-ASCII
 * slashes and dots), each percent-encoded 0–2 times, and the whole value encoded 0–2 times.
 */
const pieces = fc.constantFrom(
  "/",
  "//",
  "\\",
  ".",
  "..",
  "%",
  "%2e",
  "%2E",
  "%2f",
  "%2F",
  "%5c",
  "%5C",
  ":",
  "@",
  "?",
  "#",
  "\t",
  "\n",
  "\r",
  " ",
  "\u0000",
  "evil.example",
  "app.test",
  "account",
  "http:",
  "https:",
  "javascript:",
  "é",
  "\uFF0F", // fullwidth solidus
  "\u2215", // division slash
  "\u3002", // ideographic full stop, a dot to IDNA
  "\uFF0E", // fullwidth full stop
);

/** Percent-encodes every UTF-8 byte of `text`, `times` times over. */
function percentEncode(text: string, times: number): string {
  let out = text;
  for (let pass = 0; pass < times; pass += 1) {
    out = Array.from(
      new TextEncoder().encode(out),
      (byte) => `%${byte.toString(16).padStart(2, "0")}`,
    ).join("");
  }
  return out;
}

const encodedPiece = fc
  .tuple(pieces, fc.nat({ max: 2 }), fc.nat({ max: 4 }))
  // Two pieces in five are encoded.
  .map(([piece, times, roll]) => (roll < 3 ? piece : percentEncode(piece, times)));

/**
 * Values for an app at `appOrigin`. They often begin like a path or an absolute URL of the
 * app, so they pass the first gates and reach the parser.
 */
export function redirectValues(appOrigin: string): fc.Arbitrary<string> {
  const start = fc.constantFrom("", "/", "/.", "/./", "/a/..", appOrigin, "https://evil.example");
  return fc
    .tuple(start, fc.array(encodedPiece, { maxLength: 10 }), fc.nat({ max: 2 }), fc.nat({ max: 5 }))
    .map(([head, rest, times, roll]) => {
      const value = head + rest.join("");
      if (roll > 1) return value;
      // The whole value encoded, as a link or a form would do it once or twice.
      let out = value;
      for (let pass = 0; pass < times; pass += 1) out = encodeURIComponent(out);
      return out;
    });
}
