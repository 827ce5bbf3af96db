# trowel Makefile

GO ?= go

# Everything CI runs: unit tests, fuzz seed corpora, and the end-to-end tests against
# the lab's real hosts (needs root; installs what it needs from Debian's packages).
.PHONY: test unit lint
test:
	@bash lab/deps.sh
	$(GO) vet ./...
	TROWEL_PG_REQUIRED=1 TROWEL_WEB_SCALE=1 TROWEL_BROWSER_REQUIRED=1 bash lab/with-lab.sh $(GO) test -count=1 -timeout 60m ./...

# Without root or a lab: the lab tests skip.
unit:
	$(GO) test ./...

# The import table in internal/layering keeps every arrow pointing down the pipeline.
lint:
	gofmt -l . | (! grep .)
	$(GO) vet ./...
	staticcheck ./...
	$(GO) test -count=1 ./internal/layering/

build:
	CGO_ENABLED=0 $(GO) build -o trowel ./cmd/trowel

# Regenerate the embedded end-of-life data from a git checkout of endoflife.date
# (internal/eol/data/SOURCES.md): make eol EOL_SRC=../endoflife.date
EOL_SRC ?= ../endoflife.date
.PHONY: eol
eol:
	$(GO) run ./internal/eol/gen -src $(EOL_SRC) \
		-commit $$(git -C $(EOL_SRC) rev-parse HEAD) \
		-commit-date $$(git -C $(EOL_SRC) log -1 --format=%cs HEAD)
	TROWEL_EOL_SRC=$(EOL_SRC) $(GO) test -count=1 ./internal/eol/...

# --- lab (real test hosts in network namespaces; see lab/README.md) ---------
# Needs root. State: $(TROWEL_LAB_STATE) (default /var/lib/trowel-lab),
# image cache: $(TROWEL_LAB_CACHE) (default /var/cache/trowel-lab).

.PHONY: lab-up lab-down lab-status lab-reset lab-reboot lab-test bench

lab-up:
	@bash lab/up.sh

lab-down:
	@bash lab/down.sh

lab-status:
	@bash lab/status.sh

# Re-create one host with a fresh upper dir: make lab-reset HOST=new
HOST ?= new
lab-reset:
	@bash lab/up.sh $(HOST)

# Reboot one host and wait until it is back: make lab-reboot HOST=webapp
lab-reboot:
	@bash lab/reboot.sh $(HOST)

# The lab's own health test; fails (instead of skipping) when the lab is down.
lab-test:
	TROWEL_LAB_REQUIRED=1 $(GO) test -count=1 -v ./internal/labtest/

bench:
	@bash lab/bench.sh

# The scale harness (internal/benchfleet): 1,000 fake SSH hosts on 127.1.0.0/16
# surveyed by the real trowel from one operator process, into SQLite, PostgreSQL
# (a temporary cluster of Debian's postgresql) and PostgreSQL's queue with worker
# processes: wall time, operator CPU and peak memory, store size, every host
# checked; the lab's hosts in the same run when the lab is up (it is not started
# here). Smaller: make bench-fleet BENCH_FLEET_ARGS='-hosts 200 -stores sqlite'.
# In CI time: go test -run x -bench SurveyFleet ./internal/benchfleet (50 hosts).
.PHONY: bench-fleet
BENCH_FLEET_ARGS ?=
bench-fleet:
	$(GO) run ./internal/benchfleet $(BENCH_FLEET_ARGS)
