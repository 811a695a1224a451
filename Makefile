# fow — two commands for a new user:
#   make run    builds fow (the program only), imports the demo data into ./fow.db on first start
#               and serves it on http://127.0.0.1:8080/ (the access log goes to ./fow-access.log)
#   make test   installs what the tests need, builds (also Release builds with gcc and clang,
#               warnings as errors), runs every test (also under ASan+UBSan)
# and to install fow, its web app and its manual page fow(1):
#   make install [PREFIX=/usr/local] [DESTDIR=]

MAKEFLAGS += --no-print-directory
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_CLANG?= build-clang
BUILD_RELEASE ?= build-release
PREFIX     ?= /usr/local
FOW_DB     ?= fow.db
JOBS       ?= 2
SHARED_DATA?= $(CURDIR)/../shared/data

# Debian packages: to build and run, and additionally to test
RUN_PACKAGES  = gcc make cmake pkg-config libsqlite3-dev libutf8proc-dev libjansson-dev libsodium-dev sqlite3 libmicrohttpd-dev zlib1g-dev libqrencode-dev
BENCH_PACKAGES = wrk nginx-light curl python3-pandas python3-scipy hyperfine
TEST_PACKAGES = $(RUN_PACKAGES) libcmocka-dev clang libclang-rt-14-dev valgrind chromium zbar-tools python3-icalendar

.PHONY: run test build build-fow install deps deps-test demo-db demo-admin clean fuzz bench evaluate check-release

LISTEN     ?= 127.0.0.1:8080

run: deps build-fow web-deps
	@if [ ! -f "$(FOW_DB)" ]; then $(MAKE) --no-print-directory demo-db demo-admin; fi
	@./$(BUILD)/fow --db "$(FOW_DB)" serve --listen "$(LISTEN)"

# A demo administrator with a random password, shown once and kept in
# fow-admin-password.txt (readable by you only): to try imports in the browser.
demo-admin: build-fow
	@pw=$$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 16); \
	  printf '%s\n' "$$pw" | ./$(BUILD)/fow --db "$(FOW_DB)" user add admin --role admin --password-stdin > /dev/null && \
	  (umask 077; printf '%s\n' "$$pw" > fow-admin-password.txt) && \
	  echo "Demo administrator: user 'admin', password $$pw (also in fow-admin-password.txt)."

demo-db: build-fow
	@echo "Importing the demo data (data/demo, illustrative values) into $(FOW_DB) ..."
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet import bundle data/demo > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet import risk data/demo/risk.csv --model mcc \
	    --source "fow demo data: illustrative automation risk (invented, not measured)" \
	    --version 2026.11 --licence CC0-1.0 > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet import attributes data/demo/attributes.csv \
	    --source "fow demo data: illustrative occupation attributes (invented, not measured)" \
	    --version 2026.11 --licence CC0-1.0 > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet import employment data/demo/employment.csv --area Cluj-Napoca --illustrative \
	    --source "fow demo data: illustrative employment for Cluj-Napoca (invented, not measured)" \
	    --version 2026.11 --licence CC0-1.0 > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet import employment data/demo/employment_romania.csv --area Romania --illustrative \
	    --source "fow demo data: illustrative employment for Romania, the reference area (invented, not measured)" \
	    --version 2026.11 --licence CC0-1.0 > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet import modules data/demo/modules.csv \
	    --source "fow demo data: learning catalogue of invented providers" \
	    --version 2026.12 --licence CC0-1.0 > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet import modules data/demo/modules_creic.csv \
	    --source "fow demo data: the CREIC labs' induction modules (invented)" \
	    --version 2026.12 --licence CC0-1.0 > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet lab import data/demo/labs.json > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet lab holidays import data/holidays-ro.csv > /dev/null
	@FOW=./$(BUILD)/fow FOW_DB="$(FOW_DB)" bash data/demo/lab_bookings.sh > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet cohort load data/demo/cohorts.csv > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet cohort load data/demo/cohorts_past.csv > /dev/null
	@./$(BUILD)/fow --db "$(FOW_DB)" --quiet journeys data/demo/journeys.csv > /dev/null
	@sh data/demo/vouchers.sh ./$(BUILD)/fow "$(FOW_DB)"
	@echo "Done: $(FOW_DB) holds the demo data."

# the whole tree (program, tests, benchmarks) as developers build it: warnings are errors
build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOW_WERROR=ON -DFOW_SHARED_DATA="$(SHARED_DATA)" > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# the program only (make run), quietly: its output is shown when the build fails; warnings stay
# warnings unless the build folder says otherwise
build-fow:
	@if [ ! -x $(BUILD)/fow ]; then echo "Building fow into $(BUILD)/fow (the first time takes a minute) ..."; fi
	@log=$$(mktemp); \
	  if cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$$log" 2>&1 && \
	     cmake --build $(BUILD) -j $(JOBS) --target fow >> "$$log" 2>&1; then rm -f "$$log"; \
	  else cat "$$log"; rm -f "$$log"; exit 1; fi

# fow in PREFIX/bin, its web app in PREFIX/share/fow/web, fow.1 in PREFIX/share/man/man1,
# all under DESTDIR when it is set (for packages)
install: deps web-deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX="$(PREFIX)" > /dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target fow fow-man
	@DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# Installs missing Debian packages when root; otherwise prints the command to run.
define install_packages
	@missing=""; for p in $(1); do dpkg -s $$p > /dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing > /dev/null || exit 1; \
	  else \
	    echo "fow needs these Debian packages:$$missing"; \
	    echo "Install them with:  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

deps:
	$(call install_packages,$(RUN_PACKAGES))

deps-bench:
	$(call install_packages,$(BENCH_PACKAGES))

# The web app's npm packages (ECharts; jsQR, which reads QR codes; playwright-core for the browser tests),
# exactly as web/package-lock.json pins them; installs Node.js first if missing.
.PHONY: web-deps
web-deps:
	@if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then \
	  command -v npm > /dev/null || $(MAKE) --no-print-directory deps-node || exit 1; \
	  npm ci --prefix web --no-audit --no-fund; \
	fi

.PHONY: deps-node
deps-node:
	$(call install_packages,nodejs npm)

deps-test:
	$(call install_packages,$(TEST_PACKAGES))

# the tests run with assert() on (FOW_ASSERTS): every internal invariant is checked; warnings are errors
test: deps-test web-deps check-release
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOW_ASSERTS=ON -DFOW_WERROR=ON -DFOW_SHARED_DATA="$(SHARED_DATA)" > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@echo "== sanitizer build (clang, AddressSanitizer + UndefinedBehaviorSanitizer)"
	@CC=clang cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DFOW_SANITIZE=ON -DFOW_ASSERTS=ON -DFOW_WERROR=ON -DFOW_BENCH=OFF -DFOW_SHARED_DATA="$(SHARED_DATA)" > /dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS)
	@echo "== unit tests under ASan + UBSan"
	@cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 ctest -L unit --output-on-failure
	@echo "== all tests (unit, end-to-end on ../shared/data, command line)"
	@cd $(BUILD) && ctest --output-on-failure

# The soak (not part of make test): SIGHUP reloads, API imports and readers racing,
# and the access matrix of every route and role, for SOAK_SECONDS; prints the counts.
SOAK_SECONDS ?= 60
.PHONY: soak
soak: build
	@python3 tests/e2e/api_race_test.py ./$(BUILD)/fow . --seconds $(SOAK_SECONDS) --matrix

# what a user's standard build does (cmake -DCMAKE_BUILD_TYPE=Release: -O3), with gcc and clang,
# the whole tree, warnings as errors: so that it keeps building for them
check-release:
	@echo "== Release builds of the whole tree (gcc, then clang), warnings as errors"
	@CC=gcc cmake -S . -B $(BUILD_RELEASE) -DCMAKE_BUILD_TYPE=Release -DFOW_WERROR=ON > /dev/null
	@cmake --build $(BUILD_RELEASE) -j $(JOBS)
	@CC=clang cmake -S . -B $(BUILD_CLANG) -DCMAKE_BUILD_TYPE=Release -DFOW_WERROR=ON > /dev/null
	@cmake --build $(BUILD_CLANG) -j $(JOBS)

bench: deps-bench build
	@./$(BUILD)/bench_import "$(SHARED_DATA)"
	@./$(BUILD)/bench_model "$(SHARED_DATA)"
	@./$(BUILD)/bench_search "$(SHARED_DATA)"
	@./$(BUILD)/bench_transitions "$(SHARED_DATA)"
	@./$(BUILD)/bench_observe "$(SHARED_DATA)"
	@./$(BUILD)/bench_match "$(SHARED_DATA)"
	@bash bench/bench_http.sh "$(SHARED_DATA)" --fow ./$(BUILD)/fow
	@bash bench/bench_enrol.sh --fow ./$(BUILD)/fow

# The similarity measure against plain Jaccard on hidden groupings (docs/transitions.md)
evaluate: build
	@./$(BUILD)/eval_similarity "$(SHARED_DATA)" --sweep

fuzz:
	@CC=clang cmake -S . -B build-fuzz -DFOW_FUZZ=ON -DFOW_WERROR=ON -DFOW_BENCH=OFF > /dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_csv fuzz_bundle
	@mkdir -p tests/fuzz/corpus-work/csv tests/fuzz/corpus-work/bundle
	./build-fuzz/fuzz_csv -max_total_time=$${FUZZ_SECONDS:-600} tests/fuzz/corpus-work/csv tests/fuzz/corpus/csv
	./build-fuzz/fuzz_bundle -max_total_time=$${FUZZ_SECONDS:-600} tests/fuzz/corpus-work/bundle tests/fuzz/corpus/bundle

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_CLANG) $(BUILD_RELEASE) build-fuzz build-bench
