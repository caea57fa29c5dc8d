-- wrk script: POSTs valid Reporting API csp-violation reports and counts the answers.
-- The bodies vary page, blocked host and query string, so the collector normalises and de-duplicates real work:
-- 200 distinct bodies collapse into 50 violations. Set REPORT_DELAY_MS to pace each connection (rate-limit runs).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  accepted = 0
  limited = 0
  busy = 0
  other = 0
  bodies = {}
  for i = 1, 200 do
    bodies[i] = string.format(
      '[{"type":"csp-violation","age":5,"url":"https://shop.example.com/p%d","user_agent":"wrk",' ..
      '"body":{"documentURL":"https://shop.example.com/p%d?session=%d","blockedURL":"https://cdn%d.example.net/lib.js?v=%d",' ..
      '"effectiveDirective":"script-src-elem","originalPolicy":"default-src \'self\'; script-src \'self\'; report-to secureheaders",' ..
      '"disposition":"enforce","statusCode":200,"lineNumber":%d,"columnNumber":7,"sourceFile":"https://shop.example.com/app.js"}}]',
      i, i, i, i % 50, i, i)
  end
  index = 0
  headers = { ["Content-Type"] = "application/reports+json" }
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", "/_secureheaders/reports", headers, bodies[index])
end

function response(status, hdrs, body)
  if status == 204 then
    accepted = accepted + 1
  elseif status == 429 then
    limited = limited + 1
  elseif status == 503 then
    busy = busy + 1
  else
    other = other + 1
  end
end

local pace = tonumber(os.getenv("REPORT_DELAY_MS") or "0")
if pace > 0 then
  function delay()
    return pace
  end
end

function done(summary, latency, requests)
  local a, l, b, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    l = l + t:get("limited")
    b = b + t:get("busy")
    o = o + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT accepted=%d limited=%d busy=%d other=%d errors=%d seconds=%.2f accepted_per_s=%.0f\n",
    a, l, b, o, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, seconds, a / seconds))
end
