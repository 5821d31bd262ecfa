-- wrk script: every request carries the header set of Chrome on Android
-- navigating to a page (HTTP/1.1 order), with a 2 KiB Cookie header of the
-- kind a news site's readers carry (analytics, ads, consent). The cookie is
-- generated from a fixed seed, so every run sends the same bytes.
--   wrk -s bench/browser.lua http://127.0.0.1:8080/some/page/
-- BENCH_TALLY=1 also loads bench/tally.lua (status, body bytes, encoding).
-- BENCH_SHOW_REQUEST=1 prints the request once, to check what is sent.

local COOKIE_BYTES = 2048
local CHROME = "142"

-- Park-Miller generator: exact in doubles, same sequence everywhere
local seed = 20261130
local function rnd(n)            -- integer in [0, n)
    seed = (seed * 48271) % 2147483647
    return seed % n
end
local function pick(alphabet, len)
    local t = {}
    for i = 1, len do
        local k = rnd(#alphabet) + 1
        t[i] = alphabet:sub(k, k)
    end
    return table.concat(t)
end
local DIGITS = "0123456789"
local HEX = "0123456789abcdef"
local LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
local UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
local B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function num(len) return pick("123456789", 1) .. pick(DIGITS, len - 1) end

local T0 = 1794000000 + rnd(500000)           -- first visit (seconds)
local T1 = T0 + 86400 * 9 + rnd(3600)         -- this session
local function ms(t) return tostring(t) .. pick(DIGITS, 3) end
local function uuid()
    return pick(HEX, 8) .. "-" .. pick(HEX, 4) .. "-4" .. pick(HEX, 3) .. "-a" ..
           pick(HEX, 3) .. "-" .. pick(HEX, 12)
end

local cookies = {
    {"_ga", "GA1.1." .. num(10) .. "." .. T0},
    {"_ga_" .. pick(UPPER, 10), "GS2.1.s" .. T1 .. "$o14$g1$t" .. (T1 + 412) .. "$j48$l0$h" .. num(10)},
    {"_gid", "GA1.2." .. num(10) .. "." .. (T1 - 3600)},
    {"_gcl_au", "1.1." .. num(10) .. "." .. T0},
    {"_fbp", "fb.1." .. ms(T0) .. "." .. num(10)},
    {"_fbc", "fb.1." .. ms(T1) .. ".IwAR" .. pick(B64URL, 58)},
    {"__gads", "ID=" .. pick(HEX, 16) .. ":T=" .. T0 .. ":RT=" .. T1 .. ":S=ALNI_M" .. pick(B64URL, 28)},
    {"__gpi", "UID=" .. pick(HEX, 16) .. ":T=" .. T0 .. ":RT=" .. T1 .. ":S=ALNI_M" .. pick(B64URL, 28)},
    {"__eoi", "ID=" .. pick(HEX, 16) .. ":T=" .. T0 .. ":RT=" .. T1 .. ":S=AA-Afj" .. pick(B64URL, 24)},
    {"FCNEC", "%5B%5B%22AKsRol" .. pick(B64URL, 60) .. "%3D%3D%22%5D%5D"},
    {"_hjSessionUser_" .. num(7), "eyJpZCI6I" .. pick(B64, 70) .. "fQ=="},
    {"_hjSession_" .. num(7), "eyJpZCI6I" .. pick(B64, 56) .. "fQ=="},
    {"_clck", pick(LOWER, 6) .. "%7C2%7Cfr" .. rnd(9) .. "%7C0%7C1790"},
    {"_clsk", pick(LOWER, 7) .. "%7C" .. ms(T1) .. "%7C3%7C1%7Cl.clarity.ms%2Fcollect"},
    {"_cc_id", pick(HEX, 32)},
    {"panoramaId_expiry", ms(T1 + 7 * 86400)},
    {"panoramaId", pick(HEX, 64)},
    {"euconsent-v2", "CQ" .. pick(B64URL, 190) .. ".YAAAAAAAAAAA"},
    {"OptanonAlertBoxClosed", os.date("!%Y-%m-%dT%H:%M:%S", T0) .. ".512Z"},
    {"OptanonConsent", "isGpcEnabled=0&datestamp=" ..
        os.date("!%a+%b+%d+%Y+%H%%3A%M%%3A%S", T1) .. "+GMT%2B0300+(Arabian+Standard+Time)" ..
        "&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=" .. uuid() ..
        "&interactionCount=1&isAnonUser=1&landingPath=NotLandingPage" ..
        "&groups=C0001%3A1%2CC0002%3A1%2CC0003%3A1%2CC0004%3A1%2CV2STACK42%3A1" ..
        "&intType=1&geolocation=AE%3BDU&AwaitingReconsent=false"},
}
local parts = {}
for i, c in ipairs(cookies) do parts[i] = c[1] .. "=" .. c[2] end
local cookie = table.concat(parts, "; ")
-- Criteo's bundle, sized so that the whole value is exactly COOKIE_BYTES
local fill = COOKIE_BYTES - #cookie - #"; cto_bundle="
assert(fill > 100, "cookie jar too large for " .. COOKIE_BYTES .. " bytes")
cookie = cookie .. "; cto_bundle=" .. pick(B64URL, fill)
assert(#cookie == COOKIE_BYTES)

local HEADERS = {   -- after Host, in Chrome's order
    {"Connection", "keep-alive"},
    {"sec-ch-ua", '"Chromium";v="' .. CHROME .. '", "Google Chrome";v="' .. CHROME .. '", "Not_A Brand";v="99"'},
    {"sec-ch-ua-mobile", "?1"},
    {"sec-ch-ua-platform", '"Android"'},
    {"Upgrade-Insecure-Requests", "1"},
    {"User-Agent", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" ..
        CHROME .. ".0.0.0 Mobile Safari/537.36"},
    {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp," ..
        "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"},
    {"Sec-Fetch-Site", "same-origin"},
    {"Sec-Fetch-Mode", "navigate"},
    {"Sec-Fetch-User", "?1"},
    {"Sec-Fetch-Dest", "document"},
    {"Accept-Encoding", "gzip, deflate, br"},
    {"Accept-Language", "ar,en-US;q=0.9,en;q=0.8"},
    {"Cookie", cookie},
}

-- wrk builds its request once per thread with wrk.format() (no request()
-- function here, so nothing runs in Lua per request); this one keeps the
-- order above, which wrk's own (a Lua table walk) would not.
function wrk.format(method, path)
    local s = {string.format("%s %s HTTP/1.1", method or wrk.method, path or wrk.path),
               "Host: " .. wrk.headers["Host"]}
    for _, h in ipairs(HEADERS) do s[#s + 1] = h[1] .. ": " .. h[2] end
    s[#s + 1] = "\r\n"
    local req = table.concat(s, "\r\n")
    if os.getenv("BENCH_SHOW_REQUEST") and not shown then
        shown = true
        io.stderr:write(req)
    end
    return req
end

if os.getenv("BENCH_TALLY") then
    local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
    dofile(dir .. "tally.lua")
end
