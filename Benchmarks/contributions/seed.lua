-- wrk: one suggestion for each line of $PAIRS ("page<TAB>section<TAB>heading"), each once:
-- thread i takes lines i, i + THREADS, ...; a thread whose share is done stops.
local threads = 0
function setup(thread)
  thread:set("stripe", threads)
  threads = threads + 1
end

local pairs_ = {}
local position
local stride
local done = false
local token = os.getenv("TOKEN")

function init(args)
  for line in io.lines(os.getenv("PAIRS")) do pairs_[#pairs_ + 1] = line end
  stride = tonumber(os.getenv("THREADS"))
  position = stripe + 1
end

function request()
  if position > #pairs_ then
    done = true
    return wrk.format("GET", "/healthz")
  end
  local page, section, heading = pairs_[position]:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
  position = position + stride
  local body = '{"monograph":"' .. page .. '","section":"' .. section .. '","text":"## ' .. heading
    .. '\\nReviewed benchmark text for ' .. section .. '.\\n\\n","message":"seed"}'
  return wrk.format("POST", "/api/v1/suggestions",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if done then wrk.thread:stop() end
end
