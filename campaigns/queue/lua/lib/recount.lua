-- recountBusy, put before the scripts that call it (scripts.go): sets
-- {P}:busy from the leases in {P}:lease, each lease one line globally ("g"),
-- on its trunk ("t:<trunk>") and in its campaign ("c:<cid>").
local function recountBusy(p)
  redis.call('DEL', p .. 'busy')
  local all = redis.call('HGETALL', p .. 'lease')
  for i = 1, #all, 2 do
    local cid, trunk = string.match(all[i + 1], '^([^|]*)|([^|]*)|')
    redis.call('HINCRBY', p .. 'busy', 'g', 1)
    redis.call('HINCRBY', p .. 'busy', 't:' .. trunk, 1)
    redis.call('HINCRBY', p .. 'busy', 'c:' .. cid, 1)
  end
end

