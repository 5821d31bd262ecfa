-- wrk script: every request asks for a path that no page has,
-- "/" .. 16 random hex digits .. "/", different on every request, so no
-- cache can answer it and each one goes through the whole lookup (article,
-- page, redirect) to the 404 page. Each wrk thread seeds its own generator
-- from /dev/urandom, so threads and runs never repeat each other's paths.
--   wrk -s bench/notfound.lua http://127.0.0.1:8080/
-- BENCH_BROWSER=1 sends bench/browser.lua's headers with each path.
-- BENCH_TALLY=1 also loads bench/tally.lua (status, body bytes, encoding).
-- The request is built once per thread with wrk.format(); per request only
-- the path is drawn and spliced in.

local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
if os.getenv("BENCH_BROWSER") then
    dofile(dir .. "browser.lua")          -- loads tally.lua itself with BENCH_TALLY
elseif os.getenv("BENCH_TALLY") then
    dofile(dir .. "tally.lua")
end

local MARK = "/@notfound@/"
local prev_setup = setup
function setup(thread)
    if prev_setup then prev_setup(thread) end
    local f = assert(io.open("/dev/urandom", "rb"))
    local b = f:read(4)
    f:close()
    thread:set("notfound_seed", ((b:byte(1) * 256 + b:byte(2)) * 256 + b:byte(3)) * 128 + b:byte(4) % 128)
end

local head, tail
function init(args)
    math.randomseed(notfound_seed)
    local req = wrk.format(nil, MARK)
    local i, j = req:find(MARK, 1, true)
    head, tail = req:sub(1, i - 1), req:sub(j + 1)
end

local random, format = math.random, string.format
function request()
    return head .. format("/%04x%04x%04x%04x/", random(0, 65535), random(0, 65535),
                          random(0, 65535), random(0, 65535)) .. tail
end
