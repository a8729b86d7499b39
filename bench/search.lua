-- wrk script for bench/search: one of four request mixes, chosen by the
-- first argument after "--":
--   healthz         GET /healthz, no credentials (the baseline)
--   search          GET /api/v1/guests?q=PREFIX, rotating through PREFIXES
--   card N          GET /api/v1/guests/ID/card, ID uniform in 1..N
--   notes           GET /api/v1/guests?q=WORD, rotating through NOTE_WORDS
-- The bearer token comes from the environment (BENCH_TOKEN) so it does not
-- show in the process list. Requests are built once per thread in init(),
-- so the client spends its share of the two cores on sending, not on
-- formatting. Every thread counts responses other than 200; done() prints
-- one "bench" line that bench/search parses.

local PREFIXES = {
	"dal", "mar", "jos", "emm", "che", "sch", "gar", "wal", "pat", "oli", "sof", "ngu",
}
-- Words found only in the text of demo notes (src/cli/demo.c), never in a
-- demo guest's name, email, phone or card: the name search finds nobody, so
-- every request goes on to the note search. Each matches one demo note text,
-- about 1 note in 19.
local NOTE_WORDS = {
	"marathon", "puppy", "vespa", "dolomites", "tabasco", "university",
}
-- Distinct random card requests per thread; the pool is cycled.
local CARD_POOL = 20000

local threads = {}
local next_thread = 0

function setup(thread)
	thread:set("index", next_thread)
	next_thread = next_thread + 1
	table.insert(threads, thread)
end

local requests = {}
local position = 0
non200 = 0
first_bad = ""

function init(args)
	local mode = args[1] or "healthz"
	local token = os.getenv("BENCH_TOKEN") or ""
	local auth = { ["Authorization"] = "Bearer " .. token }
	-- Deterministic per thread, different between threads.
	math.randomseed(20261122 + 7919 * index)
	if mode == "healthz" then
		requests[1] = wrk.format("GET", "/healthz")
	elseif mode == "search" then
		-- Threads start at different prefixes so the mix stays even.
		for i = 0, #PREFIXES - 1 do
			local p = PREFIXES[(i + index * 5) % #PREFIXES + 1]
			requests[#requests + 1] = wrk.format("GET", "/api/v1/guests?q=" .. p, auth)
		end
	elseif mode == "notes" then
		for i = 0, #NOTE_WORDS - 1 do
			local w = NOTE_WORDS[(i + index * 3) % #NOTE_WORDS + 1]
			requests[#requests + 1] = wrk.format("GET", "/api/v1/guests?q=" .. w, auth)
		end
	elseif mode == "card" then
		local n = tonumber(args[2])
		if not n or n < 1 then
			error("card needs the number of guests")
		end
		for i = 1, CARD_POOL do
			local id = math.random(1, n)
			requests[i] = wrk.format("GET", "/api/v1/guests/" .. id .. "/card", auth)
		end
	else
		error("unknown mode " .. mode)
	end
end

function request()
	position = position % #requests + 1
	return requests[position]
end

function response(status, headers, body)
	if status ~= 200 then
		non200 = non200 + 1
		if first_bad == "" then
			first_bad = status .. " " .. string.sub(body or "", 1, 200)
		end
	end
end

function done(summary, latency, requests_)
	local bad, sample = 0, ""
	for _, t in ipairs(threads) do
		bad = bad + (t:get("non200") or 0)
		local s = t:get("first_bad") or ""
		if sample == "" then
			sample = s
		end
	end
	local e = summary.errors
	io.write(string.format(
		"bench requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
		"non200=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
		summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max, bad, e.connect, e.read, e.write, e.timeout,
		e.status))
	if sample ~= "" then
		io.write("bench first_non200=" .. string.gsub(sample, "\n", " ") .. "\n")
	end
end
