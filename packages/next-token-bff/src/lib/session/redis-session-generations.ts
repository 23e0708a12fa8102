import type { RedisConnection } from "../redis/redis-connection.js";
import { BffError } from "../errors/bff-error.js";
import { createSealer } from "./sealed-value.js";
import {
  type NewestGeneration,
  type SessionGenerations,
  memorySessionGenerations,
} from "./session-generations.js";
import { readStoredTokens } from "./stored-tokens.js";
import { redisGenerationMirror } from "./redis-generation-mirror.js";

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
 * whether its cookie is the newest must not spend the refresh token. `newerThan` (next-auth's
 * session polls) answers from the generation numbers mirrored by pub/sub when it can.
 */
export function redisSessionGenerations(
  connection: RedisConnection,
  secret: string,
  maxEntries?: number,
): SessionGenerations {
  const { client, prefix } = connection;
  const sealer = createSealer(secret, "next-token-bff session generation encryption key");
  const keyOf = (sessionId: string) => `${prefix}generation:${sessionId}`;
  const local = memorySessionGenerations(maxEntries === undefined ? {} : { maxEntries });
  const mirror = redisGenerationMirror(connection, maxEntries);

  async function shared(sessionId: string): Promise<NewestGeneration | null> {
    const epoch = mirror.epoch();
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
    const separator = value?.indexOf(":") ?? -1;
    const generation = Number(value?.slice(0, separator));
    if (value === null || separator <= 0 || !Number.isSafeInteger(generation)) {
      mirror.learn(sessionId, null, epoch);
      return null;
    }
    mirror.learn(sessionId, generation, epoch);
    const tokens = readStoredTokens(sealer.open(keyOf(sessionId), value.slice(separator + 1)));
    return { generation, tokens };
  }

  async function newest(sessionId: string): Promise<NewestGeneration | null> {
    const [remote, mine] = [await shared(sessionId), await local.newest(sessionId)];
    if (remote === null) return mine;
    return mine !== null && mine.generation > remote.generation ? mine : remote;
  }

  return {
    newest,
    async newerThan(sessionId, generation) {
      const known = mirror.known(sessionId);
      const mine = await local.newest(sessionId);
      // Nothing newer in Redis (as far as the mirror knows) nor made here: no round trip.
      if (known !== undefined && (known ?? -1) <= generation) {
        return mine !== null && mine.generation > generation ? mine : null;
      }
      const found = await newest(sessionId);
      return found !== null && found.generation > generation ? found : null;
    },
    async record(sessionId, generation, tokens, keepUntilMs) {
      if (keepUntilMs <= Date.now()) return;
      await local.record(sessionId, generation, tokens, keepUntilMs);
      const key = keyOf(sessionId);
      const stored = await client.eval(
        recordScript,
        1,
        key,
        String(generation),
        sealer.seal(key, tokens),
        String(Math.ceil(keepUntilMs)),
      );
      // A lost announcement only leaves other instances' polls a generation behind; their
      // refreshes read Redis itself.
      if (stored === 1) await mirror.announce(sessionId, generation).catch(() => undefined);
    },
  };
}
