import { Redis } from "ioredis";
import { type EventLog, logFunctions } from "../runtime/logger.js";
import { processSingleton } from "../runtime/process-singleton.js";
import { BffError } from "../errors/bff-error.js";

/** Where refresh coordination reports events (Redis down, fallbacks); never given tokens. */
export type RefreshLog = EventLog;

/** One Redis client pair per URL and process: commands, and a subscriber for wake-ups. */
export interface RedisConnection {
  /** The Redis URL as configured (may hold a password: log `label`). */
  readonly url: string;
  /** Loggable form of the URL (no password). */
  readonly label: string;
  /** The client for commands. */
  readonly client: Redis;
  /** The client subscribed to `channel` (a subscribed client cannot run commands). */
  readonly subscriber: Redis;
  /** The pub/sub channel that announces finished refreshes; messages are refresh keys. */
  readonly channel: string;
  /** Prefix of every key this library writes. */
  readonly prefix: string;
  /** True while the command connection is up. */
  ready(): boolean;
  /**
   * Whether the command connection is up, waiting for it while it is still making its first
   * connection (a fresh instance's first request); false at once when it was lost.
   */
  connected(): Promise<boolean>;
  /** Resolves when `key` is announced, the subscriber drops, or `ms` pass (false then). */
  waitFor(key: string, ms: number): Promise<boolean>;
  /** Logs that an operation fell back to this process, at most once per state change. */
  reportFallback(what: string, error: unknown): void;
  /** Logs that an operation was refused because Redis could not answer, once per state change. */
  reportRefusal(what: string, error: unknown): void;
  /** Where events are reported. */
  log: RefreshLog;
}

/** Options of {@link redisConnection}. */
export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL (`REDIS_URL`). Required. */
  url: string;
  /** Prefix of every key and of the channel. Default `next-token-bff:`. */
  prefix?: string;
  /** Connect and per-command limits, ms. Default 1,000 each: a request never hangs on Redis. */
  connectTimeoutMs?: number;
  /** Per-command limit, ms. Default: `1000`. */
  commandTimeoutMs?: number;
  /** Default: JSON lines on stderr. */
  log?: RefreshLog;
}

const connections = () =>
  processSingleton("redis-connections", () => new Map<string, RedisConnection>());

function labelOf(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.username = "";
    return parsed.toString();
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The shared connection for `url`, created on first use and kept on `globalThis` (Next loads
 * modules once per layer). Commands fail at once while Redis is down (`enableOfflineQueue:
 * false`, one attempt, short timeouts) so callers can fall back instead of waiting; ioredis
 * keeps reconnecting in the background.
 */
export function redisConnection(options: RedisConnectionOptions): RedisConnection {
  const prefix = options.prefix ?? "next-token-bff:";
  const id = `${options.url}\n${prefix}`;
  const existing = connections().get(id);
  if (existing !== undefined) return existing;

  const log = options.log ?? logFunctions().event;
  const label = labelOf(options.url);
  const common = {
    connectTimeout: options.connectTimeoutMs ?? 1_000,
    retryStrategy: (attempt: number) => Math.min(250 * attempt, 2_000),
    enableReadyCheck: true,
  };
  const client = new Redis(options.url, {
    ...common,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
  });
  // The subscriber may queue its SUBSCRIBE until connected; nothing waits on it.
  const subscriber = new Redis(options.url, { ...common, maxRetriesPerRequest: null });
  const channel = `${prefix}refresh:done`;
  const waiters = new Map<string, Set<(announced: boolean) => void>>();

  let healthy = true;
  let fellBack = false;
  let refused = false;
  const down = (error: unknown) => {
    if (!healthy) return;
    healthy = false;
    log(
      "error",
      `Redis at ${label} is unreachable (${messageOf(error)}): sign-outs made here are kept ` +
        "and written to Redis when it is back; until then this instance does not see other " +
        "instances' sign-outs, and refreshes cannot be shared between instances.",
    );
  };
  client.on("error", down);
  client.on("end", () => down(new BffError("redis_unavailable", "connection closed")));
  let everReady = false;
  client.on("ready", () => {
    everReady = true;
    if (!healthy) {
      log("info", `Redis at ${label} is reachable again: refreshes are shared across instances.`);
    }
    healthy = true;
    fellBack = false;
    refused = false;
  });
  subscriber.on("error", () => {});
  // A dropped subscriber cannot announce anything: wake every waiter so it checks for itself.
  subscriber.on("close", () => {
    for (const set of waiters.values()) for (const wake of set) wake(false);
  });
  subscriber.on("message", (from: string, key: string) => {
    if (from !== channel) return;
    const set = waiters.get(key);
    if (set === undefined) return;
    for (const wake of set) wake(true);
  });
  subscriber.subscribe(channel).catch(() => {});

  const connection: RedisConnection = {
    url: options.url,
    label,
    client,
    subscriber,
    channel,
    prefix,
    log,
    ready: () => client.status === "ready",
    connected() {
      if (client.status === "ready") return Promise.resolve(true);
      if (everReady || !["wait", "connecting", "connect"].includes(client.status)) {
        return Promise.resolve(false);
      }
      return new Promise<boolean>((resolve) => {
        const done = (up: boolean) => {
          clearTimeout(timer);
          client.off("ready", onReady);
          resolve(up);
        };
        const onReady = () => {
          done(true);
        };
        const timer = setTimeout(() => done(false), options.connectTimeoutMs ?? 1_000);
        client.once("ready", onReady);
      });
    },
    waitFor(key, ms) {
      return new Promise<boolean>((resolve) => {
        let set = waiters.get(key);
        if (set === undefined) {
          set = new Set();
          waiters.set(key, set);
        }
        const entry = set;
        const finish = (announced: boolean) => {
          clearTimeout(timer);
          entry.delete(finish);
          if (entry.size === 0 && waiters.get(key) === entry) waiters.delete(key);
          resolve(announced);
        };
        const timer = setTimeout(() => finish(false), Math.max(1, ms));
        entry.add(finish);
      });
    },
    reportFallback(what, error) {
      down(error);
      if (fellBack) return;
      fellBack = true;
      log(
        "warn",
        `${what}: Redis at ${label} failed (${messageOf(error)}); handled within this process ` +
          "instead (REFRESH_LOCAL_FALLBACK=1). With several instances two of them could spend " +
          "one refresh token, and the upstream would end that session.",
      );
    },
    reportRefusal(what, error) {
      down(error);
      if (refused) return;
      refused = true;
      log(
        "warn",
        `${what}: Redis at ${label} failed (${messageOf(error)}); refreshes answer 503 and keep ` +
          "the session until Redis is back, so that no two instances spend one refresh token. " +
          "A single instance may set REFRESH_LOCAL_FALLBACK=1.",
      );
    },
  };
  connections().set(id, connection);
  return connection;
}

/** Closes every shared connection (tests, graceful shutdown). */
export async function closeRedisConnections(): Promise<void> {
  const all = [...connections().values()];
  connections().clear();
  // QUIT waits for an answer: only a connected client gets one (an offline subscriber would
  // queue it for ever); the others are simply disconnected.
  const close = async (redis: Redis) => {
    if (redis.status !== "ready") {
      redis.disconnect();
      return;
    }
    await redis.quit().catch(() => {
      redis.disconnect();
    });
  };
  await Promise.all(
    all.flatMap((connection) => [close(connection.client), close(connection.subscriber)]),
  );
}
