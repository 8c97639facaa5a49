-- renew: extend leases held under their tokens.
-- KEYS[1] = key prefix "{P}:"
-- ARGV[1] = new expiry (ms); ARGV[2..] = taskID, token pairs
-- returns an array with, per pair, 1 (renewed) or 0 (lease lost)
local p = KEYS[1]
local res = {}
for i = 2, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local v = redis.call('HGET', p .. 'lease', id)
  local ok = 0
  if v then
    local tok = select(3, string.match(v, '^([^|]*)|([^|]*)|([^|]*)|'))
    if tok == token then
      redis.call('ZADD', p .. 'leases', 'XX', ARGV[1], id)
      ok = 1
    end
  end
  res[#res + 1] = ok
end
return res
