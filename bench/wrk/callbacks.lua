-- wrk script of the benchmark's HTTP figures: every request is a Graph callback POST, its body
-- filled from the workload's templates (written by bench/wrk/fill.mjs, which fills them the same
-- way for the paced generator). The bearer token and content type come with wrk's -H.
-- Usage: wrk ... -s callbacks.lua URL -- WORKLOAD_FILE BASE GEN THREADS
-- Request k of a thread goes to call BASE + k (calls = 0: a new call each time) or to call
-- BASE + k % calls at visit GEN + floor(k / calls); each visit of a call uses its next template.
-- wrk calls request() once on the first thread to check the script before it starts, so that
-- thread's index 0 is never sent.

local templates, tones = {}, {}
local calls, base, gen, step = 0, 0, 0, 1
local values = {}
-- A global: setup() gives each thread its first request index through thread:set.
k = 0

local function split(line)
  local fields, start = {}, 1
  while true do
    local tab = string.find(line, "\t", start, true)
    if not tab then
      fields[#fields + 1] = string.sub(line, start)
      return fields
    end
    fields[#fields + 1] = string.sub(line, start, tab - 1)
    start = tab + 1
  end
end

local thread_count = 0
function setup(thread)
  -- Threads share nothing: each takes every THREADS-th request index, so no body repeats.
  thread:set("k", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file = assert(io.open(args[1] or "", "r"), "callbacks.lua: cannot open the workload file " .. tostring(args[1]))
  for line in file:lines() do
    local fields = split(line)
    local kind = table.remove(fields, 1)
    if kind == "calls" then calls = tonumber(fields[1])
    elseif kind == "tones" then tones = fields
    elseif kind == "template" then templates[#templates + 1] = fields end
  end
  file:close()
  assert(#templates > 0 and #tones > 0 and calls ~= nil, "callbacks.lua: the workload file has no templates, tones or calls")
  base, gen, step = tonumber(args[2]) or 0, tonumber(args[3]) or 0, tonumber(args[4]) or 1
end

function request()
  local i, v
  if calls == 0 then
    i, v = base + k, gen
  else
    i, v = base + k % calls, gen + math.floor(k / calls)
  end
  k = k + step
  -- Call i starts its cycle at step i: a run of any length sends every step about as often.
  local parts = templates[(v + i) % #templates + 1]
  values.I = string.format("%012x", i)
  values.S = string.format("%d", v + 1)
  values.V = string.format("%08x", v)
  values.T = tones[v % #tones + 1]
  local out = { parts[1] }
  for p = 2, #parts, 2 do
    out[#out + 1] = values[parts[p]]
    out[#out + 1] = parts[p + 1]
  end
  return wrk.format("POST", nil, nil, table.concat(out))
end

-- One machine-readable line for bench/wrk/run.mjs; wrk's own summary is printed before it.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"durationUs":%d,"requests":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
