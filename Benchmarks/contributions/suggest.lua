-- wrk: section suggestions (Usage) for random pages, as one contributor's API token.
local pages = {}
for line in io.lines(os.getenv("PAGES")) do pages[#pages + 1] = line end
local token = os.getenv("TOKEN")
local counter = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  counter = counter + 1
  local page = pages[math.random(#pages)]
  local body = '{"monograph":"' .. page .. '","section":"usage","text":"## Usage\\nBenchmark text number '
    .. counter .. '.\\n\\n","message":"benchmark ' .. counter .. '"}'
  return wrk.format("POST", "/api/v1/suggestions",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
