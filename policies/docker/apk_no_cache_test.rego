package labcheck.docker.apk_no_cache_test

import data.labcheck.docker.apk_no_cache

run(args, flags) := {"dockerfiles": [{"file": "D", "stages": [{"instructions": [{"cmd": "run", "args": args, "flags": flags, "heredocs": [], "line": 2}]}]}]}

test_fail_without_no_cache if {
	some f in apk_no_cache.deny with input as run(["apk update && apk add curl"], [])
	f.msg == "'apk add curl' keeps the apk index in the layer; add --no-cache"
}

test_pass_no_cache if {
	count(apk_no_cache.deny) == 0 with input as run(["apk add --no-cache curl && echo done"], [])
}

test_pass_cache_mount if {
	count(apk_no_cache.deny) == 0 with input as run(["apk add curl"], ["--mount=type=cache,target=/var/cache/apk"])
}

test_pass_not_apk if {
	count(apk_no_cache.deny) == 0 with input as run(["echo apk add is great > /readme"], [])
}

test_pass_no_network_fetches_no_index if {
	count(apk_no_cache.deny) == 0 with input as run(["apk add --no-network --virtual .rundeps $runDeps"], [])
}

test_fail_no_network_after_update if {
	some f in apk_no_cache.deny with input as run(["apk update && apk add --no-network curl"], [])
	f.msg == "'apk add --no-network curl' keeps the apk index in the layer; add --no-cache"
}
