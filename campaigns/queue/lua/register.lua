-- register: create or update a campaign's dispatch settings.
-- KEYS[1] = key prefix "{P}:"
-- ARGV[1] = campaignID, ARGV[2] = prio ("u" urgent | "r" routine), ARGV[3] = trunk,
-- ARGV[4] = max lines (0 = none), ARGV[5] = cps (0 = none), ARGV[6] = paused ("1"|"0")
-- returns 1
local p, cid, prio = KEYS[1], ARGV[1], ARGV[2]
local ck = p .. 'camp:' .. cid
local old = redis.call('HGET', ck, 'prio')
redis.call('HSET', ck, 'prio', prio, 'trunk', ARGV[3], 'lines', ARGV[4], 'cps', ARGV[5], 'paused', ARGV[6])
if old and old ~= prio then redis.call('ZREM', p .. 'rr:' .. old, cid) end
if redis.call('ZCARD', p .. 'due:' .. cid) > 0 then
  redis.call('ZADD', p .. 'rr:' .. prio, 'NX', 0, cid)
end
return 1
