/** Statistics and formatting of both benches: percentiles, numbers, a Prettier-shaped Markdown table. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/** `1,234` */
export function grouped(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "–";
}

/** A Markdown table laid out the way Prettier formats one (so `prettier --check` passes). */
export function alignedTable(header: string[], body: string[][], rightAligned: boolean[]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replace(/\s+/g, " ");
  const rows = [header, ...body].map((row) => row.map(cell));
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- a cell's width in code points, as intended
  const width = (text: string) => [...text].length;
  const widths = header.map((_, column) =>
    Math.max(3, ...rows.map((row) => width(row[column] ?? ""))),
  );
  const pad = (text: string, size: number, right: boolean) => {
    const fill = " ".repeat(Math.max(0, size - width(text)));
    return right ? fill + text : text + fill;
  };
  const line = (row: string[]) =>
    `| ${widths.map((size, column) => pad(row[column] ?? "", size, rightAligned[column] === true)).join(" | ")} |`;
  const rule = `| ${widths
    .map((size, column) => (rightAligned[column] ? `${"-".repeat(size - 1)}:` : "-".repeat(size)))
    .join(" | ")} |`;
  const [head = [], ...rest] = rows;
  return [line(head), rule, ...rest.map(line)].join("\n");
}
