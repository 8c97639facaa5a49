-- remove: drop a cancelled campaign's due tasks and settings; live leases
-- stay until their calls finish.
-- KEYS[1] = key prefix "{P}:"; ARGV[1] = campaignID
-- returns the number of due tasks dropped
local p, cid = KEYS[1], ARGV[1]
local n = redis.call('ZCARD', p .. 'due:' .. cid)
redis.call('DEL', p .. 'due:' .. cid, p .. 'camp:' .. cid)
redis.call('ZREM', p .. 'rr:u', cid)
redis.call('ZREM', p .. 'rr:r', cid)
return n
