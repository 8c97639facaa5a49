-- leader: acquire or renew the scheduler lock with a fencing token.
-- KEYS[1] = key prefix "{P}:"
-- ARGV[1] = candidate id, ARGV[2] = now (ms), ARGV[3] = lock length (ms)
-- returns the fence (> 0) if the candidate holds the lock, else 0.
-- The fence grows with every change of holder and is at least now*1000, so
-- it keeps growing even after the keys are lost (unless more than 1000
-- changes of holder happen within one millisecond).
local p, me, now, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local lk = p .. 'leader'
local h = redis.call('HMGET', lk, 'holder', 'exp', 'fence')
if h[1] and tonumber(h[2]) > now then
  if h[1] ~= me then return 0 end
  redis.call('HSET', lk, 'exp', now + ttl)
  return tonumber(h[3])
end
local f = redis.call('INCR', p .. 'fence')
if f < now * 1000 then
  f = now * 1000
  redis.call('SET', p .. 'fence', f)
end
redis.call('HSET', lk, 'holder', me, 'exp', now + ttl, 'fence', f)
return f
