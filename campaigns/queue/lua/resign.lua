-- resign: release the scheduler lock if held by the candidate.
-- KEYS[1] = key prefix "{P}:"; ARGV[1] = candidate id
-- returns 1 if released, 0 otherwise
local lk = KEYS[1] .. 'leader'
if redis.call('HGET', lk, 'holder') == ARGV[1] then
  redis.call('DEL', lk)
  return 1
end
return 0
