-- recover: remove up to N leases expired at now and return them, so that
-- each expired lease is returned exactly once across all recoverers.
-- KEYS[1] = key prefix "{P}:"
-- ARGV[1] = now (ms); ARGV[2] = N
-- returns a flat array: taskID, campaignID, token, expiry(ms), ...
local p = KEYS[1]
-- A lost {P}:busy is left absent (claim recounts it from the leases);
-- decrementing would re-create it short of the live calls.
local counted = redis.call('EXISTS', p .. 'busy') == 1
local ids = redis.call('ZRANGEBYSCORE', p .. 'leases', '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #ids, 2 do
  local id, exp = ids[i], ids[i + 1]
  local v = redis.call('HGET', p .. 'lease', id) or '|||'
  local cid, trunk, tok = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|')
  redis.call('ZREM', p .. 'leases', id)
  redis.call('HDEL', p .. 'lease', id)
  if cid ~= '' and counted then
    countBusy(p, trunk, cid, -1)
  end
  out[#out + 1] = id
  out[#out + 1] = cid
  out[#out + 1] = tok
  out[#out + 1] = exp
end
return out
