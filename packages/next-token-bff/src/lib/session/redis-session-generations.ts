import type { RedisConnection } from "../redis/redis-connection.js";
import { BffError } from "../errors/bff-error.js";
import { createSealer } from "./sealed-value.js";
import {
  type NewestGeneration,
  type SessionGenerations,
  memorySessionGenerations,
} from "./session-generations.js";
import { readStoredTokens } from "./stored-tokens.js";

// Replaces the stored generation only with a newer one; expires with the refresh token.
const recordScript = `
local current = redis.call("get", KEYS[1])
if current then
  local stored = tonumber(string.match(current, "^(%d+):"))
  if stored and stored >= tonumber(ARGV[1]) then return 0 end
end
redis.call("set", KEYS[1], ARGV[1] .. ":" .. ARGV[2], "PXAT", ARGV[3])
return 1`;

/**
 * The newest generation of each session in Redis, shared by every instance: one key per
 * session, `<generation>:<sealed tokens>`, the tokens encrypted with a key derived from the
 * app's secret. This process also keeps what it saw in memory, so a Redis that lost its data
 * (restarted without persistence) does not make this instance forget the generations it made.
 * When Redis cannot answer, `newest` throws (`redis_unavailable`): a refresh that cannot tell
 * whether its cookie is the newest must not spend the refresh token.
 */
export function redisSessionGenerations(
  connection: RedisConnection,
  secret: string,
): SessionGenerations {
  const { client, prefix } = connection;
  const sealer = createSealer(secret, "next-token-bff session generation encryption key");
  const keyOf = (sessionId: string) => `${prefix}generation:${sessionId}`;
  const local = memorySessionGenerations();

  async function shared(sessionId: string): Promise<NewestGeneration | null> {
    let value: string | null;
    try {
      if (!(await connection.connected())) {
        throw new BffError("redis_unavailable", "not connected");
      }
      value = await client.get(keyOf(sessionId));
    } catch (error) {
      // A refresh that cannot tell whether its cookie is the newest waits for Redis.
      connection.reportRefusal("Token refresh", error);
      throw error instanceof BffError
        ? error
        : new BffError("redis_unavailable", "the generation store did not answer", {
            cause: error,
          });
    }
    if (value === null) return null;
    const separator = value.indexOf(":");
    const generation = Number(value.slice(0, separator));
    if (separator <= 0 || !Number.isSafeInteger(generation)) return null;
    const tokens = readStoredTokens(sealer.open(keyOf(sessionId), value.slice(separator + 1)));
    return { generation, tokens };
  }

  return {
    async newest(sessionId) {
      const [remote, mine] = [await shared(sessionId), await local.newest(sessionId)];
      if (remote === null) return mine;
      return mine !== null && mine.generation > remote.generation ? mine : remote;
    },
    async record(sessionId, generation, tokens, keepUntilMs) {
      if (keepUntilMs <= Date.now()) return;
      await local.record(sessionId, generation, tokens, keepUntilMs);
      const key = keyOf(sessionId);
      await client.eval(
        recordScript,
        1,
        key,
        String(generation),
        sealer.seal(key, tokens),
        String(Math.ceil(keepUntilMs)),
      );
    },
  };
}
