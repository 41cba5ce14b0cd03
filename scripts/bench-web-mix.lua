-- wrk script for `scripts/bench web`'s mix (issue 16 item 7): many signed-in people at once, each
-- request as one of them, doing what their desk is for.
-- Usage: wrk -tT -c50 … -s scripts/bench-web-mix.lua http://HOST:PORT -- USERS_FILE T [ERRORS_FILE]
-- ERRORS_FILE (optional) gets the status and body of the first answer of 400 or more each thread sees.
-- USERS_FILE has a line per person, tab-separated: kind, session cookie, CSRF token, and
--   hotline:  the county code the person logs complaints for;
--   sector:   the ids of open flags their department leads, comma-separated (each acknowledged once);
--   official: nothing.
-- Requests go round the people in turn (each wrk thread takes every Nth one), and each person
-- goes round their own list of requests:
--   hotline:  log a complaint (POST /complaints), the new-complaint form, the complaint list;
--   sector:   their flags desk, one flag's page, acknowledge one flag (POST /flags/ID/review),
--             or the desk again once their flags have all been acknowledged;
--   official: the escalation board, their desk, the flags.
-- The complaints are like bench-web-post.lua's: 3 workers and ¥8,600, below E1's thresholds.

local people = {}
local errors_file = nil
local error_kept = false
local turn = 0
local threads = 0
index = 0     -- globals: setup() sets them in each thread's own Lua state
stride = 1

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function form(fields)
    local parts = {}
    for i, f in ipairs(fields) do parts[i] = f[1] .. "=" .. urlencode(f[2]) end
    return table.concat(parts, "&")
end

function setup(thread)
    thread:set("index", threads)
    threads = threads + 1
end

function init(args)
    local path = args[1]
    local file = path and io.open(path, "r")
    if not file then
        io.stderr:write("bench-web-mix.lua: give the people's file after --\n")
        os.exit(2)
    end
    for line in file:lines() do
        local kind, cookie, csrf, extra = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t?(.*)$")
        if kind then
            local p = { kind = kind, cookie = cookie, csrf = csrf, step = 0, sent = 0 }
            if kind == "hotline" then
                p.region = extra
            elseif kind == "sector" then
                p.flags = {}
                for id in extra:gmatch("%d+") do p.flags[#p.flags + 1] = id end
                p.next_flag = 1
            end
            people[#people + 1] = p
        end
    end
    file:close()
    if #people == 0 then
        io.stderr:write("bench-web-mix.lua: nobody in " .. path .. "\n")
        os.exit(2)
    end
    -- This thread takes people index+1, index+1+THREADS, … (wrk's -t, given after the file).
    stride = tonumber(args[2]) or 1
    errors_file = args[3]
end

local function get(p, path)
    return wrk.format("GET", path, { ["Cookie"] = "ww_session=" .. p.cookie })
end

local function post(p, path, body)
    return wrk.format("POST", path, {
        ["Cookie"] = "ww_session=" .. p.cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
end

local function hotline(p)
    local k = p.step % 3
    if k == 0 then
        p.sent = p.sent + 1
        return post(p, "/complaints", form({
            { "_csrf", p.csrf },
            { "received_at", "2026-11-20 10:30" },
            { "region_code", p.region },
            { "channel", "12333" },
            { "caller_name", "基准测试" },
            { "caller_phone", string.format("1390001%04d", p.sent % 10000) },
            { "employer_uscc", "" },
            { "employer_name", "基准测试" .. p.region .. "劳务有限公司" },
            { "project_code", "" },
            { "workers_involved", "3" },
            { "amount_owed", "8600" },
            { "owed_since", "2026-09-01" },
            { "owed_until", "2026-10-31" },
            { "employer_absconded", "" },
            { "text", "两个月工资未发" },
        }))
    elseif k == 1 then
        return get(p, "/complaints/new")
    else
        return get(p, "/complaints")
    end
end

local function sector(p)
    local k = p.step % 3
    local id = p.flags[p.next_flag]
    if k == 0 or not id then
        return get(p, "/flags")
    elseif k == 1 then
        return get(p, "/flags/" .. id)
    else
        p.next_flag = p.next_flag + 1
        return post(p, "/flags/" .. id .. "/review", form({ { "_csrf", p.csrf }, { "action", "ack" } }))
    end
end

local function official(p)
    local k = p.step % 3
    if k == 0 then
        return get(p, "/escalations")
    elseif k == 1 then
        return get(p, "/")
    else
        return get(p, "/flags")
    end
end

function request()
    local n = #people
    local i = (index + turn * stride) % n + 1
    turn = turn + 1
    local p = people[i]
    local r
    if p.kind == "hotline" then
        r = hotline(p)
    elseif p.kind == "sector" then
        r = sector(p)
    else
        r = official(p)
    end
    p.step = p.step + 1
    return r
end

function response(status, headers, body)
    if status >= 400 and errors_file and not error_kept then
        error_kept = true
        local f = io.open(errors_file .. "." .. index, "w")
        if f then
            f:write(status, "\n", body or "")
            f:close()
        end
    end
end
