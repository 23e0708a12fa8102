import type autocannon from "autocannon";
import { cannon } from "../../../bench-support/load.js";
import { config } from "./config.js";

/** One scenario's line of the report: its result, or why it was skipped. */
export interface Row {
  scenario: string;
  request: string;
  result?: autocannon.Result;
  skipped?: string;
  note?: string;
}

/** One warm-up run (discarded), then the measured run. */
export async function measure(options: autocannon.Options): Promise<autocannon.Result> {
  if (config.warmup > 0) await cannon({ ...options, duration: config.warmup });
  return cannon({ ...options, duration: config.duration });
}

/** One request before the load: undefined if it answers 200, otherwise why the scenario is skipped. */
export async function probe(
  base: string,
  path: string,
  init: RequestInit,
): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    return response.status === 200 ? undefined : `${response.status} ${text.slice(0, 160)}`;
  } catch (error) {
    return describeError(error);
  }
}

export const describeError = (error: unknown) =>
  error instanceof Error ? error.message : String(error);
