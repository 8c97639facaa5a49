-- finish: end leases. For each (taskID, token, due) triple: if the lease is
-- held under token, drop it and its line counts; if due is not "-", put the
-- task back on its campaign's due queue at due (ms).
-- KEYS[1] = key prefix "{P}:"
-- ARGV = taskID1, token1, due1, taskID2, token2, due2, ...
-- returns an array with, per triple, 1 (done) or 0 (lease not held under token)
local p = KEYS[1]
-- A lost {P}:busy is left absent (claim recounts it from the leases);
-- decrementing would re-create it short of the live calls.
local counted = redis.call('EXISTS', p .. 'busy') == 1
local res = {}
for i = 1, #ARGV, 3 do
  local id, token, due = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local v = redis.call('HGET', p .. 'lease', id)
  local ok = 0
  if v then
    local cid, trunk, tok = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|')
    if tok == token then
      redis.call('ZREM', p .. 'leases', id)
      redis.call('HDEL', p .. 'lease', id)
      if counted then
        countBusy(p, trunk, cid, -1)
      end
      if due ~= '-' then
        redis.call('ZADD', p .. 'due:' .. cid, due, id)
        local prio = redis.call('HGET', p .. 'camp:' .. cid, 'prio')
        if prio then redis.call('ZADD', p .. 'rr:' .. prio, 'NX', 0, cid) end
      end
      ok = 1
    end
  end
  res[#res + 1] = ok
end
return res
