import { type EndedSessionStore, memoryEndedSessionStore } from "./ended-sessions.js";
import type { RedisConnection } from "../redis/redis-connection.js";

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
 * Redis cannot (logged once per outage).
 */
export function redisEndedSessionStore(
  connection: RedisConnection,
  now: () => number = () => Date.now() / 1000,
): EndedSessionStore {
  const local = memoryEndedSessionStore(now);
  const { client, prefix } = connection;
  const sessionKey = (id: string) => `${prefix}ended:session:${id}`;
  const userKey = (sub: string) => `${prefix}ended:user:${sub}`;
  const ttlUntil = (until: number) => Math.ceil(until - now());

  return {
    async endSession(sessionId, keepUntil) {
      await local.endSession(sessionId, keepUntil);
      const ttl = ttlUntil(keepUntil);
      if (ttl <= 0) return;
      try {
        await client.set(sessionKey(sessionId), "1", "EX", ttl);
      } catch (error) {
        connection.reportFallback("Recording an ended session", error);
      }
    },
    async endUserSessions(sub, endedAt, keepUntil) {
      await local.endUserSessions(sub, endedAt, keepUntil);
      const ttl = ttlUntil(keepUntil);
      if (ttl <= 0) return;
      try {
        await client.eval(endUserScript, 1, userKey(sub), String(endedAt), String(ttl));
      } catch (error) {
        connection.reportFallback("Recording a sign-out everywhere", error);
      }
    },
    async isEnded(session) {
      if (await local.isEnded(session)) return true;
      if (!connection.ready()) return false;
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
