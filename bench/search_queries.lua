-- wrk script: every request searches for the next query of a file (one a
-- line, as bench/search queries prints them), percent-encoded into
-- /search?q=…; each wrk thread starts at its own place in the list, so
-- threads do not ask for the same query at the same time.
--   BENCH_QUERIES=queries.txt wrk -s bench/search_queries.lua http://127.0.0.1:8080/

local queries = {}
local function encode(s)
    return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end
for line in assert(io.lines(assert(os.getenv("BENCH_QUERIES"), "BENCH_QUERIES not set"))) do
    if line ~= "" then queries[#queries + 1] = "/search?q=" .. encode(line) end
end
assert(#queries > 0, "no queries")

local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("first", threads)
end

local i
function init(args)
    i = ((first or 1) * 7919) % #queries
end

function request()
    i = i % #queries + 1
    return wrk.format("GET", queries[i])
end
