import { type EndedSessionStore, memoryEndedSessionStore } from "./ended-sessions.js";
import type { RedisConnection } from "../redis/redis-connection.js";
import { endedListMirror } from "./redis-ended-mirror.js";

// Keeps the later sign-out time and the longer lifetime of the two.
const endUserScript = `
local current = tonumber(redis.call("get", KEYS[1]) or "0")
if tonumber(ARGV[1]) > current then redis.call("set", KEYS[1], ARGV[1], "KEEPTTL") end
local ttl = redis.call("ttl", KEYS[1])
if ttl < tonumber(ARGV[2]) then redis.call("expire", KEYS[1], ARGV[2]) end
return 1`;

/**
 * The ended-session list in Redis, shared by every web instance: a key per ended session and
 * per "signed out everywhere" person, each expiring when the cookies it refuses would have
 * expired anyway. Every write also goes to this process's memory list, which answers when
 * Redis cannot (logged once per outage), and is announced to the other instances' mirrors, so
 * that a check costs no round trip while the mirror is complete. A write Redis missed is kept and written when the
 * connection is back, so a sign-out made during an outage reaches every instance after it.
 */
export function redisEndedSessionStore(
  connection: RedisConnection,
  now: () => number = () => Date.now() / 1000,
): EndedSessionStore {
  const local = memoryEndedSessionStore(now);
  const mirror = endedListMirror(connection, local);
  const { client, prefix } = connection;
  const sessionKey = (id: string) => `${prefix}ended:session:${id}`;
  const userKey = (sub: string) => `${prefix}ended:user:${sub}`;
  const ttlUntil = (until: number) => Math.ceil(until - now());
  /** Writes Redis missed, in order; retried when the connection is ready again. */
  const pending: Array<() => Promise<unknown>> = [];

  async function write(what: string, command: () => Promise<unknown>): Promise<void> {
    try {
      await command();
      if (pending.length > 0) await flush();
    } catch (error) {
      pending.push(command);
      connection.reportFallback(what, error);
    }
  }

  async function flush(): Promise<void> {
    while (pending.length > 0) {
      const command = pending[0];
      if (command === undefined) break;
      try {
        await command();
      } catch {
        return; // Still down: the next "ready" retries.
      }
      pending.shift();
    }
  }
  client.on("ready", () => void flush());

  return {
    async endSession(sessionId, keepUntil) {
      await local.endSession(sessionId, keepUntil);
      const ttl = ttlUntil(keepUntil);
      if (ttl <= 0) return;
      // The lifetime is counted when the write happens (it may be retried later).
      await write("Recording an ended session", async () => {
        const remaining = ttlUntil(keepUntil);
        if (remaining <= 0) return;
        await client.set(sessionKey(sessionId), "1", "EX", remaining);
        await mirror.announce({ kind: "session", sessionId, keepUntil });
      });
    },
    async endUserSessions(sub, endedAt, keepUntil) {
      await local.endUserSessions(sub, endedAt, keepUntil);
      const ttl = ttlUntil(keepUntil);
      if (ttl <= 0) return;
      // The lifetime is counted when the write happens (it may be retried later).
      await write("Recording a sign-out everywhere", async () => {
        const remaining = ttlUntil(keepUntil);
        if (remaining <= 0) return;
        await client.eval(endUserScript, 1, userKey(sub), String(endedAt), String(remaining));
        await mirror.announce({ kind: "user", sub, endedAt, keepUntil });
      });
    },
    async isEnded(session) {
      if (await local.isEnded(session)) return true;
      // The mirror holds all of Redis's list while its channel is up: no round trip.
      if (mirror.complete()) return false;
      if (!(await connection.connected())) return false;
      try {
        const [ended, userEndedAt] = await client.mget(
          sessionKey(session.sessionId),
          userKey(session.sub),
        );
        if (ended !== null && ended !== undefined) return true;
        return (
          userEndedAt !== null &&
          userEndedAt !== undefined &&
          session.authTime <= Number(userEndedAt)
        );
      } catch (error) {
        connection.reportFallback("Checking the ended-session list", error);
        return false;
      }
    },
  };
}
