-- claim: hand out up to N due tasks under leases, urgent campaigns before
-- routine ones, round-robin between campaigns of the same priority, within
-- the global, per-trunk and per-campaign line and CPS limits.
-- KEYS[1] = key prefix "{P}:" (all keys share the hash tag {P})
-- ARGV[1] = now (ms, from the injected clock)   ARGV[2] = lease length (ms)
-- ARGV[3] = N (max tasks)                        ARGV[4] = worker id
-- ARGV[5] = token base (unique per call; the i-th lease gets base.."."..i)
-- returns a flat array: taskID, campaignID, token, ... (expiry = now + lease)
--
-- Fail closed after a Redis loss: while {P}:limits is absent (never
-- published, or lost) nothing is handed out, since every trunk's line limit
-- would be ignored; robots and the reconciler publish it again. A lost
-- {P}:busy is recounted from the leases before any line is checked.
local p = KEYS[1]
if redis.call('EXISTS', p .. 'limits') == 0 then return {} end
local now = tonumber(ARGV[1])
local expiry = now + tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local worker, base = ARGV[4], ARGV[5]

local lim = {}
local raw = redis.call('HGETALL', p .. 'limits')
for i = 1, #raw, 2 do lim[raw[i]] = tonumber(raw[i + 1]) end

local busyKey = p .. 'busy'
if redis.call('EXISTS', busyKey) == 0 then recountBusy(p) end
local function lineOK(field, cap)
  if not cap or cap <= 0 then return true end
  return tonumber(redis.call('HGET', busyKey, field) or '0') < cap
end

-- CPS: a sliding window per scope ({P}:cps:<scope>, members = tokens scored
-- by claim time). rate >= 1: at most floor(rate) in any 1000 ms;
-- rate < 1: at most 1 in any 1000/rate ms.
local function cpsWin(rate)
  if rate >= 1 then return math.floor(rate), 1000 end
  return 1, 1000 / rate
end
local function cpsOK(scope, rate)
  if not rate or rate <= 0 then return true end
  local k, w = cpsWin(rate)
  local key = p .. 'cps:' .. scope
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - w)
  return redis.call('ZCARD', key) < k
end
local function cpsTake(scope, rate, token)
  if not rate or rate <= 0 then return end
  local _, w = cpsWin(rate)
  local key = p .. 'cps:' .. scope
  redis.call('ZADD', key, now, token)
  redis.call('PEXPIRE', key, math.ceil(w) + 60000)
end

local out = {}
local globalFull = false

local function tryOne(prio, cid)
  local ck = p .. 'camp:' .. cid
  local c = redis.call('HMGET', ck, 'trunk', 'lines', 'cps', 'paused')
  if c[4] == '1' then return false end
  local trunk = c[1] or ''
  local clines, ccps = tonumber(c[2]), tonumber(c[3])
  if not lineOK('g', lim['g:lines']) or not cpsOK('g', lim['g:cps']) then
    globalFull = true
    return false
  end
  local tl, tc = lim['t:' .. trunk .. ':lines'], lim['t:' .. trunk .. ':cps']
  if not lineOK('t:' .. trunk, tl) or not lineOK('c:' .. cid, clines) then return false end
  if not cpsOK('t:' .. trunk, tc) or not cpsOK('c:' .. cid, ccps) then return false end
  local dk = p .. 'due:' .. cid
  while true do
    local ids = redis.call('ZRANGEBYSCORE', dk, '-inf', now, 'LIMIT', 0, 1)
    if #ids == 0 then
      if redis.call('ZCARD', dk) == 0 then redis.call('ZREM', p .. 'rr:' .. prio, cid) end
      return false
    end
    local id = ids[1]
    redis.call('ZREM', dk, id)
    if not redis.call('ZSCORE', p .. 'leases', id) then
      local token = base .. '.' .. (#out / 3 + 1)
      redis.call('ZADD', p .. 'leases', expiry, id)
      redis.call('HSET', p .. 'lease', id, cid .. '|' .. trunk .. '|' .. token .. '|' .. worker)
      countBusy(p, trunk, cid, 1)
      cpsTake('g', lim['g:cps'], token)
      cpsTake('t:' .. trunk, tc, token)
      cpsTake('c:' .. cid, ccps, token)
      redis.call('ZADD', p .. 'rr:' .. prio, redis.call('INCR', p .. 'serve'), cid)
      out[#out + 1] = id
      out[#out + 1] = cid
      out[#out + 1] = token
      return true
    end
    -- already leased (a stale duplicate after a rebuild): dropped, try the next
  end
end

for _, prio in ipairs({ 'u', 'r' }) do
  local camps = redis.call('ZRANGE', p .. 'rr:' .. prio, 0, -1)
  local blocked = {}
  while #out / 3 < n and not globalFull do
    local took = false
    for _, cid in ipairs(camps) do
      if not blocked[cid] then
        if tryOne(prio, cid) then
          took = true
          if #out / 3 >= n or globalFull then break end
        else
          blocked[cid] = true
        end
      end
      if globalFull then break end
    end
    if not took then break end
  end
end
return out
