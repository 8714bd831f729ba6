-- One endpoint under wrk: method, body and headers from the environment the runner sets;
-- several paths go round (a "first" PDF each time); each thread stops after BENCH_MAX requests.
local paths, method, body = {}, os.getenv("BENCH_METHOD"), os.getenv("BENCH_BODY")
for p in string.gmatch(os.getenv("BENCH_PATHS"), "[^ ]+") do paths[#paths + 1] = p end
wrk.method = method
if body and body ~= "" then wrk.body = body end
for h in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local k, v = string.match(h, "^([^:]+):%s*(.*)$")
  wrk.headers[k] = v
end

local threads = 0
function setup(thread)
  thread:set("offset", threads * 997)
  threads = threads + 1
end

local i, sent = 0, 0
local limit = tonumber(os.getenv("BENCH_MAX") or "100000")
function request()
  i = i + 1
  return wrk.format(nil, paths[((offset or 0) + i) % #paths + 1])
end

function response()
  sent = sent + 1
  if sent >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, ' ..
    '"p95_us": %d, "errors": %d}\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
