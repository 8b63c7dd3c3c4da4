import { luaScript } from './lua-script.js'

// The Lua side of cluster-wide presence (redis-presence.ts). Every script runs atomically, so a
// flip (an agent's first connection anywhere, or their last) is decided once, by one node.
//
// Keys, under a prefix P (one hash tag, so they stay in one slot):
//   P nodes             sorted set: node id -> the time (Redis's clock, ms) its share expires
//   P n:NODE            set: the brands NODE holds agent connections of
//   P n:NODE:BRAND      hash: agent id -> NODE's live connections of that agent
//   P since:BRAND       hash: agent id -> when the agent last came online or went offline
// An agent's count is the sum of the live nodes' shares; a node whose expiry passed counts for
// nothing, and the next heartbeat of any node deletes its share (reaps it).

const COMMON = `
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function live_nodes(now)
  return redis.call('ZRANGEBYSCORE', P .. 'nodes', '(' .. now, '+inf')
end
local function total(nodes, brand, agent)
  local sum = 0
  for _, n in ipairs(nodes) do
    sum = sum + tonumber(redis.call('HGET', P .. 'n:' .. n .. ':' .. brand, agent) or '0')
  end
  return sum
end
`

/** ARGV: P, node, brand, agent, at, ttlMs. Returns {flipped, since, shareWasLost}. */
export const connectedScript = luaScript(`${COMMON}
local node, brand, agent, at, ttl = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local now = now_ms()
local readded = redis.call('ZADD', P .. 'nodes', now + ttl, node)
local before = total(live_nodes(now), brand, agent)
redis.call('HINCRBY', P .. 'n:' .. node .. ':' .. brand, agent, 1)
redis.call('SADD', P .. 'n:' .. node, brand)
if before == 0 then
  redis.call('HSET', P .. 'since:' .. brand, agent, at)
  return {1, at, readded}
end
return {0, tonumber(redis.call('HGET', P .. 'since:' .. brand, agent) or at), readded}
`)

/** ARGV: P, node, brand, agent, at. Returns {flipped, since}. */
export const disconnectedScript = luaScript(`${COMMON}
local node, brand, agent, at = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local key = P .. 'n:' .. node .. ':' .. brand
local mine = tonumber(redis.call('HGET', key, agent) or '0')
local since = tonumber(redis.call('HGET', P .. 'since:' .. brand, agent) or '0')
if mine <= 0 then return {0, since} end
if mine == 1 then redis.call('HDEL', key, agent) else redis.call('HINCRBY', key, agent, -1) end
if total(live_nodes(now_ms()), brand, agent) == 0 then
  redis.call('HSET', P .. 'since:' .. brand, agent, at)
  return {1, at}
end
return {0, since}
`)

/** ARGV: P, brand, agent. Returns {count, since or -1}. */
export const getScript = luaScript(`${COMMON}
local brand, agent = ARGV[2], ARGV[3]
local count = total(live_nodes(now_ms()), brand, agent)
return {count, tonumber(redis.call('HGET', P .. 'since:' .. brand, agent) or '-1')}
`)

/** ARGV: P, brand. Returns a flat list: agent id, since, … for each agent with a live connection. */
export const onlineScript = luaScript(`${COMMON}
local brand = ARGV[2]
local counts, order = {}, {}
for _, n in ipairs(live_nodes(now_ms())) do
  local share = redis.call('HGETALL', P .. 'n:' .. n .. ':' .. brand)
  for i = 1, #share, 2 do
    if counts[share[i]] == nil then counts[share[i]] = 0; table.insert(order, share[i]) end
    counts[share[i]] = counts[share[i]] + tonumber(share[i + 1])
  end
end
local out = {}
for _, agent in ipairs(order) do
  if counts[agent] > 0 then
    table.insert(out, agent)
    table.insert(out, redis.call('HGET', P .. 'since:' .. brand, agent) or '0')
  end
end
return out
`)

/**
 * ARGV: P, node, ttlMs, at. Keeps the node alive and reaps the nodes whose share expired. Returns
 * {shareWasLost, {brand, agent, …}}: whether this node's share was gone (Redis restarted, or the
 * node was reaped), and the agents the reaped shares held who have no connection left anywhere.
 */
export const heartbeatScript = luaScript(`${COMMON}
local node, ttl, at = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_ms()
local dead = redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', now)
for _, d in ipairs(dead) do redis.call('ZREM', P .. 'nodes', d) end
local readded = redis.call('ZADD', P .. 'nodes', now + ttl, node)
local live = live_nodes(now)
local gone, seen = {}, {}
for _, d in ipairs(dead) do
  if d ~= node then
    for _, brand in ipairs(redis.call('SMEMBERS', P .. 'n:' .. d)) do
      local key = P .. 'n:' .. d .. ':' .. brand
      local agents = redis.call('HKEYS', key)
      redis.call('DEL', key)
      for _, agent in ipairs(agents) do
        local id = brand .. '\\n' .. agent
        if not seen[id] and total(live, brand, agent) == 0 then
          seen[id] = true
          redis.call('HSET', P .. 'since:' .. brand, agent, at)
          table.insert(gone, brand)
          table.insert(gone, agent)
        end
      end
    end
    redis.call('DEL', P .. 'n:' .. d)
  end
end
return {readded, gone}
`)

/**
 * ARGV: P, node, ttlMs, at, then brand, agent, count for each agent of the node's share. Writes the
 * share anew. Returns {brand, agent, …}: the agents it brings back online (no live node counted
 * them before), who must be announced, as they came back without a connect.
 */
export const rewriteShareScript = luaScript(`${COMMON}
local node, ttl, at = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_ms()
local live = live_nodes(now)
local found = {}
for i = 5, #ARGV, 3 do
  local brand, agent, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  if count > 0 and total(live, brand, agent) == 0 then
    table.insert(found, brand)
    table.insert(found, agent)
  end
end
for _, brand in ipairs(redis.call('SMEMBERS', P .. 'n:' .. node)) do redis.call('DEL', P .. 'n:' .. node .. ':' .. brand) end
redis.call('DEL', P .. 'n:' .. node)
for i = 5, #ARGV, 3 do
  local brand, agent, count = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  redis.call('HSET', P .. 'n:' .. node .. ':' .. brand, agent, count)
  redis.call('SADD', P .. 'n:' .. node, brand)
  redis.call('HSETNX', P .. 'since:' .. brand, agent, at)
end
for i = 1, #found, 2 do redis.call('HSET', P .. 'since:' .. found[i], found[i + 1], at) end
redis.call('ZADD', P .. 'nodes', now + ttl, node)
return found
`)

/** ARGV: P, node. Removes the node's share (a clean shutdown). */
export const leaveScript = luaScript(`${COMMON}
local node = ARGV[2]
for _, brand in ipairs(redis.call('SMEMBERS', P .. 'n:' .. node)) do redis.call('DEL', P .. 'n:' .. node .. ':' .. brand) end
redis.call('DEL', P .. 'n:' .. node)
redis.call('ZREM', P .. 'nodes', node)
return 1
`)
