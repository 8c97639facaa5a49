-- enqueue: add due tasks to a campaign's queue, skipping tasks under a live
-- lease (so a rebuild from the database never duplicates a live call), and
-- make the campaign eligible for claiming.
-- KEYS[1] = key prefix "{P}:"
-- ARGV[1] = campaignID, ARGV[2..] = taskID, due (ms) pairs
-- returns the number of tasks added or moved
local p, cid = KEYS[1], ARGV[1]
local prio = redis.call('HGET', p .. 'camp:' .. cid, 'prio')
if not prio then return redis.error_reply('campaign ' .. cid .. ' not registered') end
local dk, lk = p .. 'due:' .. cid, p .. 'leases'
local args = {}
for i = 2, #ARGV, 2 do
  if not redis.call('ZSCORE', lk, ARGV[i]) then
    args[#args + 1] = ARGV[i + 1]
    args[#args + 1] = ARGV[i]
  end
end
local n = 0
for i = 1, #args, 2000 do
  n = n + redis.call('ZADD', dk, 'CH', unpack(args, i, math.min(i + 1999, #args)))
end
if #args > 0 then redis.call('ZADD', p .. 'rr:' .. prio, 'NX', 0, cid) end
return n
