-- Loaded by wrk (-s): sends the request the harness describes in the environment and prints
-- one JSON line of results in done(). Non-2xx/3xx answers count as errors.status.
local body = os.getenv("WRK_BODY") or ""
local extra = os.getenv("WRK_HEADERS") or ""
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
for line in string.gmatch(extra, "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
end
