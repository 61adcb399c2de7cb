-- wrk: sign-offs of the Usage section of random pages, as one reviewer's API token. The same
-- page may be signed off again (a second sign-off of the same text is stored like the first).
local pages = {}
for line in io.lines(os.getenv("PAGES")) do pages[#pages + 1] = line end
local token = os.getenv("TOKEN")
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  local page = pages[math.random(#pages)]
  return wrk.format("POST", "/api/v1/monographs/" .. page .. "/sign-off",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"sections":["usage"],"message":"benchmark"}')
end
