-- wrk script for `scripts/bench web`: POST /complaints, a new complaint with every request.
-- Usage: wrk … -H "Cookie: ww_session=TOKEN" -s scripts/bench-web-post.lua http://HOST:PORT/complaints -- CSRF
-- CSRF is the signed-in session's token (the hidden _csrf of its forms). The complaints go to
-- the 102 counties of the generated province (sql/bench/province.sql: 41PPCC, prefectures 01–17,
-- counties 02–07) in turn, so that they do not all queue for one county's daily number counter,
-- received on the province's day (WAGEWATCH_NOW 2026-11-20) about one made-up labour
-- subcontractor per county, with 3 workers and ¥8,600: below the E1 thresholds, so no escalation.

local csrf = ""
local counter = 0
local threads = 0
offset = 0   -- a global: setup() sets it in each thread's own Lua state

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function region(k)
    local prefecture = 1 + math.floor(k / 6) % 17
    local county = 2 + k % 6
    return string.format("41%02d%02d", prefecture, county)
end

function setup(thread)
    -- Each thread starts at another county.
    thread:set("offset", threads * 51)
    threads = threads + 1
end

function init(args)
    csrf = args[1] or ""
    if csrf == "" then
        io.stderr:write("bench-web-post.lua: give the session's CSRF token after --\n")
        os.exit(2)
    end
end

function request()
    counter = counter + 1
    local code = region(offset + counter)
    local fields = {
        { "_csrf", csrf },
        { "received_at", "2026-11-20 10:30" },
        { "region_code", code },
        { "channel", "12333" },
        { "caller_name", "基准测试" },
        { "caller_phone", string.format("1390000%04d", counter % 10000) },
        { "employer_uscc", "" },
        { "employer_name", "基准测试" .. code .. "劳务有限公司" },
        { "project_code", "" },
        { "workers_involved", "3" },
        { "amount_owed", "8600" },
        { "owed_since", "2026-09-01" },
        { "owed_until", "2026-10-31" },
        { "employer_absconded", "" },
        { "text", "两个月工资未发" },
    }
    local parts = {}
    for i, f in ipairs(fields) do parts[i] = f[1] .. "=" .. urlencode(f[2]) end
    -- wrk.format takes these headers instead of wrk.headers (the -H ones), not beside them.
    local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
    for k, v in pairs(wrk.headers) do headers[k] = v end
    return wrk.format("POST", nil, headers, table.concat(parts, "&"))
end
