-- GET scenarios: the request is fixed by the command line (URL and -H headers).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local report = require("report")

function done(summary, latency, requests)
  report(summary, latency)
end
