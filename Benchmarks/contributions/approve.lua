-- wrk: approves suggestions FIRST..LAST, each once, as one reviewer's API token: thread i takes
-- FIRST + i, FIRST + i + THREADS, ...; a thread whose share is done stops.
local threads = 0
function setup(thread)
  thread:set("stripe", threads)
  threads = threads + 1
end

local next_id
local last
local stride
local done = false
local token = os.getenv("TOKEN")

function init(args)
  stride = tonumber(os.getenv("THREADS"))
  next_id = tonumber(os.getenv("FIRST")) + stripe
  last = tonumber(os.getenv("LAST"))
end

function request()
  if next_id > last then
    done = true
    return wrk.format("GET", "/healthz")
  end
  local id = next_id
  next_id = next_id + stride
  return wrk.format("POST", "/api/v1/suggestions/" .. id .. "/approve",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"override":"benchmark: pages of the corpus with check errors of their own"}')
end

function response(status, headers, body)
  if done then wrk.thread:stop() end
end
