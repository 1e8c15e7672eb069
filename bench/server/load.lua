-- wrk script of the server benchmarks (bench/server/run.sh). One script, four
-- loads, chosen by the first argument after `--`:
--
--   wrk ... URL -- healthz
--   wrk ... URL -- sessions TOKEN                 GET /api/v1/sessions?limit=50
--   wrk ... URL -- needs TOKEN PEOPLE_FILE        GET /api/v1/people/{id}/needs, rotating
--   wrk ... URL -- book TOKEN PEOPLE_FILE SESSIONS_FILE THREADS
--                    POST /api/v1/sessions/{s}/bookings {"person": p}, each
--                    (person, session) pair once over the whole run
--
-- done() prints one line the driver reads:
--   wrk-result: requests=N seconds=S rps=X p50_ms=A p99_ms=B non2xx=C socket_errors=D

local thread_counter = 0

function setup(thread)
  thread:set("thread_id", thread_counter)
  thread_counter = thread_counter + 1
end

local function lines(path)
  local out = {}
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  return out
end

local mode, headers, people, sessions, threads
local sent = 0

function init(args)
  mode = args[1] or "healthz"
  headers = {}
  if args[2] then headers["Authorization"] = "Bearer " .. args[2] end
  if mode == "needs" or mode == "book" then people = lines(args[3]) end
  if mode == "book" then
    sessions = lines(args[4])
    threads = tonumber(args[5])
    headers["Content-Type"] = "application/json"
  end
end

function request()
  local n = sent
  sent = sent + 1
  if mode == "healthz" then
    return wrk.format("GET", "/healthz", headers)
  elseif mode == "sessions" then
    return wrk.format("GET", "/api/v1/sessions?limit=50", headers)
  elseif mode == "needs" then
    -- Threads start at different places so they do not read in step.
    local i = (thread_id * 7919 + n) % #people
    return wrk.format("GET", "/api/v1/people/" .. people[i + 1] .. "/needs",
                      headers)
  else
    -- Pair k of the run: thread t sends k = t, t + T, t + 2T, ... The person
    -- changes fastest, so nobody piles up bookings and no pair repeats until
    -- #people * #sessions requests have been sent.
    local k = thread_id + threads * n
    local person = people[(k % #people) + 1]
    local session = sessions[(math.floor(k / #people) % #sessions) + 1]
    return wrk.format("POST", "/api/v1/sessions/" .. session .. "/bookings",
                      headers, '{"person": "' .. person .. '"}')
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "wrk-result: requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f " ..
    "non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
