-- wrk script: every request posts a new comment to the article whose
-- comment URL wrk is given (POST /{slug}/comments), urlencoded as the
-- article's form sends it: comment, author, email and token. The token is
-- the form token of the article's page, read by the caller and given after
-- "--" (the server takes one token many times within its day).
--   wrk -s bench/comment.lua http://127.0.0.1:8080/SLUG/comments -- TOKEN
-- Every text is different: a nonce per wrk thread (from /dev/urandom, so
-- runs never repeat each other), the thread's number and a counter. The
-- server refuses the same text twice on one article from one address (409),
-- and all of wrk's requests come from one address.
-- BENCH_TALLY=1 also loads bench/tally.lua (status, body bytes, encoding).
-- BENCH_POST_DELAY_MS=N: each connection waits N ms before each post (a
-- posting rate of about connections * 1000 / N per second); else none.
-- The body is two fixed pieces built once per thread with the counter
-- between them; per request only the counter is formatted.

local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
if os.getenv("BENCH_TALLY") then
    dofile(dir .. "tally.lua")
end

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local prev_setup = setup
local nthreads = 0
function setup(thread)
    if prev_setup then prev_setup(thread) end
    nthreads = nthreads + 1
    local f = assert(io.open("/dev/urandom", "rb"))
    local b = f:read(6)
    f:close()
    thread:set("comment_thread", nthreads)
    thread:set("comment_nonce", (b:gsub(".", function(c) return string.format("%02x", c:byte()) end)))
end

local head, tail, counter
local HEADERS = {["Content-Type"] = "application/x-www-form-urlencoded"}
function init(args)
    local token = args[1]
    if token == nil or token == "" then
        error("the article's form token is missing: wrk -s comment.lua URL -- TOKEN")
    end
    head = "comment=" .. urlencode("تعليق للقياس رقم " .. comment_nonce .. "-" .. comment_thread .. "-")
    tail = "&author=" .. urlencode("قارئ القياس " .. comment_thread) ..
           "&email=" .. urlencode("bench" .. comment_thread .. "@example.org") ..
           "&token=" .. urlencode(token)
    counter = 0
end

local pause = tonumber(os.getenv("BENCH_POST_DELAY_MS") or "")
if pause and pause > 0 then
    function delay()
        return pause
    end
end

function request()
    counter = counter + 1
    return wrk.format("POST", nil, HEADERS, head .. counter .. tail)
end
