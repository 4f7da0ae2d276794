-- wrk script of the manifest-get scenario: done() prints one JSON line that bench/run keeps, computed
-- from wrk's own counters rather than parsed from its rounded human-readable report. (HEAD scenarios
-- do not use wrk: version 4.1 waits for the body a HEAD response's Content-Length announces.)
wrk.method = "GET"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests_per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"error_count":%d,"request_count":%d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status,
    summary.requests))
end
