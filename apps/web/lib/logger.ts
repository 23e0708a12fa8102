import pino from "pino";

/** The app's log: JSON lines on stdout (LOG_LEVEL, default `info`). */
export const logger = pino({ level: process.env.LOG_LEVEL ?? "info", base: { app: "web" } });
