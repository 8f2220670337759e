-- POST a new content version, chaining ETags. wrk runs one connection per thread here
-- (-t N -c N), so each thread is one virtual user that owns one content item and always
-- sends the ETag its previous write returned. $BENCH_CHAIN_FILE has one line per user:
-- "<versions path>\t<current etag>\t<access token>".
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local report = require("report")

local next_index = 0

function setup(thread)
  next_index = next_index + 1
  thread:set("index", next_index)
end

function init(args)
  local n = 0
  for line in io.lines(os.getenv("BENCH_CHAIN_FILE")) do
    n = n + 1
    if n == index then
      path, etag, token = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    end
  end
  written = 0
end

function request()
  written = written + 1
  local body = string.format(
    '{"body": {"channel": "x", "text": "Trail grip that holds on wet rock, take %d."}}', written)
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["If-Match"] = etag,
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    etag = headers["etag"] or headers["ETag"] or etag
  end
end

function done(summary, latency, requests)
  report(summary, latency)
end
