/** Text formats an article body may use. */
export const textFormats = ["basic_html", "restricted_html", "plain_text"] as const;

const escapeHtml = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#039;");

// Attribute-less tags that basic_html/restricted_html keep; everything else stays escaped.
const keptTags =
  /&lt;(\/?)(p|br|em|strong|b|i|u|ul|ol|li|blockquote|code|pre|h2|h3|h4|h5|h6)\s*(\/?)&gt;/gi;

/**
 * The `processed` property: the value rendered through its text format. This stand-in escapes
 * everything and then re-allows a few tags without attributes, so `processed` never contains
 * script, event handlers or links. (Drupal's filters are richer; the shape is what matters.)
 */
export function processText(value: string | null, format: string): string {
  if (value === null) return "";
  const escaped = escapeHtml(value);
  if (format === "plain_text") {
    return escaped
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${paragraph.replaceAll("\n", "<br>\n")}</p>`)
      .join("\n");
  }
  return escaped.replace(
    keptTags,
    (_m, close: string, tag: string, selfClose: string) =>
      `<${close}${tag.toLowerCase()}${selfClose ? " /" : ""}>`,
  );
}
