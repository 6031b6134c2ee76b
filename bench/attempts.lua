-- wrk script for bench/attempts.sh: POST attempts as many learners, each request with its own
-- Idempotency-Key. Tokens come from the file named by the TOKENS environment variable.
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
  counter = 0
  path = os.getenv("ATTEMPT_PATH")
  body = '{"answer": false}'
end

function request()
  counter = counter + 1
  local token = tokens[(counter + tid * 7919) % #tokens + 1]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = "bench-" .. tid .. "-" .. counter,
  }, body)
end
