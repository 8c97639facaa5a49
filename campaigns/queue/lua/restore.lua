-- restore: re-create leases of live attempts (from the database) missing
-- after a Redis loss, then recount every line counter from the leases.
-- KEYS[1] = key prefix "{P}:"
-- ARGV = taskID, campaignID, trunk, token, worker, expiry(ms) sextets
-- returns the number of leases re-created
local p = KEYS[1]
local n = 0
for i = 1, #ARGV, 6 do
  local id, cid = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', p .. 'lease', id) == 0 then
    redis.call('HSET', p .. 'lease', id, cid .. '|' .. ARGV[i + 2] .. '|' .. ARGV[i + 3] .. '|' .. ARGV[i + 4])
    redis.call('ZADD', p .. 'leases', ARGV[i + 5], id)
    n = n + 1
  end
  redis.call('ZREM', p .. 'due:' .. cid, id)
end
recountBusy(p)
return n
