-- wrk script used by bench/run.sh as a check, not for timing: records what
-- the server answered (status, body bytes, Content-Encoding) and prints one
-- line when wrk is done:
--   tally responses=N bytes=B minbytes=B maxbytes=B status=200:N,... encoding=gzip
-- bytes is the mean body length (after de-chunking, before any decoding).
-- bench/browser.lua loads it when BENCH_TALLY is set; on its own it adds no
-- header to wrk's bare GET.

local threads = {}

function setup(thread)
    threads[#threads + 1] = thread
end

tally_n, tally_bytes, tally_min, tally_max = 0, 0, -1, 0
tally_status, tally_encoding = {}, "identity"

function response(status, headers, body)
    local n = #(body or "")
    tally_n = tally_n + 1
    tally_bytes = tally_bytes + n
    if tally_min < 0 or n < tally_min then tally_min = n end
    if n > tally_max then tally_max = n end
    local k = tostring(status)
    tally_status[k] = (tally_status[k] or 0) + 1
    for name, value in pairs(headers) do
        if name:lower() == "content-encoding" then tally_encoding = value end
    end
end

function done(summary, latency, requests)
    local n, bytes, mn, mx, enc, st = 0, 0, -1, 0, "identity", {}
    for _, t in ipairs(threads) do
        local tn = t:get("tally_n")
        n = n + tn
        bytes = bytes + t:get("tally_bytes")
        local tmin = t:get("tally_min")
        if tmin >= 0 and (mn < 0 or tmin < mn) then mn = tmin end
        local tmax = t:get("tally_max")
        if tmax > mx then mx = tmax end
        if tn > 0 then enc = t:get("tally_encoding") end
        for k, v in pairs(t:get("tally_status")) do st[k] = (st[k] or 0) + v end
    end
    local codes = {}
    for k, v in pairs(st) do codes[#codes + 1] = k .. ":" .. v end
    table.sort(codes)
    io.write(string.format("tally responses=%d bytes=%d minbytes=%d maxbytes=%d status=%s encoding=%s\n",
        n, n > 0 and math.floor(bytes / n + 0.5) or 0, mn, mx,
        #codes > 0 and table.concat(codes, ",") or "none", enc))
end
