import type { RedisConnection } from "../redis/redis-connection.js";
import { processSingleton } from "../runtime/process-singleton.js";
import type { EndedSessionStore } from "./ended-sessions.js";

/** A sign-out as announced on the mirror's channel. */
export type EndedAnnouncement =
  | { kind: "session"; sessionId: string; keepUntil: number }
  | { kind: "user"; sub: string; endedAt: number; keepUntil: number };

export interface EndedListMirror {
  /** True while this process holds every entry of the Redis list: no round trip needed. */
  complete(): boolean;
  /** Tells the other instances about a sign-out just written to Redis. */
  announce(entry: EndedAnnouncement): Promise<void>;
}

/**
 * The ended-session list of Redis, mirrored in this process so that a session check costs no
 * Redis round trip: loaded once (SCAN), then kept current by a pub/sub channel every write
 * announces on. While the subscriber is down the mirror is incomplete and callers ask Redis
 * again; when it is back, the list is loaded anew (writes made meanwhile are in Redis).
 */
export function endedListMirror(
  connection: RedisConnection,
  local: EndedSessionStore,
): EndedListMirror {
  return processSingleton(`ended-list-mirror:${connection.url}\n${connection.prefix}`, () =>
    createMirror(connection, local),
  );
}

function createMirror(connection: RedisConnection, local: EndedSessionStore): EndedListMirror {
  const { client, subscriber, prefix } = connection;
  const channel = `${prefix}ended`;
  let loaded = false;
  let loading: Promise<void> | null = null;

  async function load(): Promise<void> {
    loaded = false;
    await subscriber.subscribe(channel);
    for (const kind of ["session", "user"] as const) {
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(
          cursor,
          "MATCH",
          `${prefix}ended:${kind}:*`,
          "COUNT",
          500,
        );
        cursor = next;
        if (keys.length === 0) continue;
        const values = await client.mget(...keys);
        const ttls = await Promise.all(keys.map((key) => client.ttl(key)));
        const now = Date.now() / 1000;
        keys.forEach((key, index) => {
          const id = key.slice(`${prefix}ended:${kind}:`.length);
          const ttl = ttls[index] ?? -2;
          const value = values[index];
          if (ttl <= 0 || value === null || value === undefined) return;
          if (kind === "session") void local.endSession(id, now + ttl);
          else void local.endUserSessions(id, Number(value), now + ttl);
        });
      } while (cursor !== "0");
    }
    loaded = true;
  }

  function reload(): void {
    loading ??= load()
      .catch(() => {
        loaded = false; // Redis went away again: the next "ready" tries anew.
      })
      .finally(() => {
        loading = null;
      });
  }

  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    const entry = parse(message);
    if (entry?.kind === "session") void local.endSession(entry.sessionId, entry.keepUntil);
    else if (entry?.kind === "user")
      void local.endUserSessions(entry.sub, entry.endedAt, entry.keepUntil);
  });
  subscriber.on("close", () => {
    loaded = false;
  });
  subscriber.on("ready", reload);
  client.on("ready", () => {
    if (!loaded) reload();
  });
  if (subscriber.status === "ready" && client.status === "ready") reload();

  return {
    complete: () => loaded && subscriber.status === "ready",
    async announce(entry) {
      await client.publish(channel, JSON.stringify(entry));
    },
  };
}

function parse(message: string): EndedAnnouncement | null {
  try {
    const value = JSON.parse(message) as Partial<Record<string, unknown>>;
    if (
      value.kind === "session" &&
      typeof value.sessionId === "string" &&
      typeof value.keepUntil === "number"
    ) {
      return { kind: "session", sessionId: value.sessionId, keepUntil: value.keepUntil };
    }
    if (
      value.kind === "user" &&
      typeof value.sub === "string" &&
      typeof value.endedAt === "number" &&
      typeof value.keepUntil === "number"
    ) {
      return { kind: "user", sub: value.sub, endedAt: value.endedAt, keepUntil: value.keepUntil };
    }
  } catch {
    // Not ours.
  }
  return null;
}
