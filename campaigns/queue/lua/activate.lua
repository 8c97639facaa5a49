-- activate: make a campaign eligible for claiming after its due tasks were
-- added with plain pipelined ZADDs.
-- KEYS[1] = key prefix "{P}:"; ARGV[1] = campaignID
-- returns 1, or an error if the campaign is not registered
local p, cid = KEYS[1], ARGV[1]
local prio = redis.call('HGET', p .. 'camp:' .. cid, 'prio')
if not prio then return redis.error_reply('campaign ' .. cid .. ' not registered') end
redis.call('ZADD', p .. 'rr:' .. prio, 'NX', 0, cid)
return 1
