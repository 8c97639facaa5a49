-- The line counters of {P}:busy, put before the scripts that call them
-- (scripts.go). A lease holds one line globally ("g"), on its trunk
-- ("t:<trunk>") and in its campaign ("c:<cid>").

-- countBusy moves the three counters of one lease's line by delta (+1 when
-- a lease is taken, -1 when it ends).
local function countBusy(p, trunk, cid, delta)
  redis.call('HINCRBY', p .. 'busy', 'g', delta)
  redis.call('HINCRBY', p .. 'busy', 't:' .. trunk, delta)
  redis.call('HINCRBY', p .. 'busy', 'c:' .. cid, delta)
end

-- recountBusy sets {P}:busy from the leases in {P}:lease.
local function recountBusy(p)
  redis.call('DEL', p .. 'busy')
  local all = redis.call('HGETALL', p .. 'lease')
  for i = 1, #all, 2 do
    local cid, trunk = string.match(all[i + 1], '^([^|]*)|([^|]*)|')
    countBusy(p, trunk, cid, 1)
  end
end

