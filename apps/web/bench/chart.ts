/**
 * The bar chart of `npm run bench`, as plain SVG text: one panel with req/s, one with the web
 * server's CPU ms per request, one bar per scenario.
 */
export interface ChartBar {
  label: string;
  reqPerSec: number;
  /** Undefined when the web server is not involved (the API measured directly). */
  cpuMsPerReq: number | undefined;
}

const escape = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function panel(
  title: string,
  bars: { label: string; value: number | undefined; text: string }[],
  top: number,
  color: string,
): string[] {
  const left = 250;
  const width = 470;
  const rowHeight = 26;
  const max = Math.max(...bars.map((bar) => bar.value ?? 0), Number.MIN_VALUE);
  const parts = [`<text x="10" y="${top + 16}" font-weight="bold">${escape(title)}</text>`];
  bars.forEach((bar, index) => {
    const y = top + 28 + index * rowHeight;
    const length = bar.value === undefined ? 0 : Math.max(1, (bar.value / max) * width);
    parts.push(
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${left}" y="${y}" width="${length.toFixed(1)}" height="20" fill="${color}"/>`,
      `<text x="${(left + length + 6).toFixed(1)}" y="${y + 15}">${escape(bar.text)}</text>`,
    );
  });
  return parts;
}

export function barChartSvg(title: string, bars: ChartBar[]): string {
  const panelHeight = 40 + bars.length * 26;
  const height = 40 + panelHeight * 2 + 10;
  const body = [
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
    ...panel(
      "Throughput, req/s (higher is better)",
      bars.map((bar) => ({
        label: bar.label,
        value: bar.reqPerSec,
        text: Math.round(bar.reqPerSec).toLocaleString("en-US"),
      })),
      34,
      "#3b6ea8",
    ),
    ...panel(
      "Web server CPU per request, ms (lower is better)",
      bars.map((bar) => ({
        label: bar.label,
        value: bar.cpuMsPerReq,
        text:
          bar.cpuMsPerReq === undefined ? "– (not via the web server)" : bar.cpuMsPerReq.toFixed(3),
      })),
      34 + panelHeight,
      "#c0703a",
    ),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="860" height="${height}" viewBox="0 0 860 ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
