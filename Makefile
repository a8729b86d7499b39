# Thin wrapper over CMake/CTest. `make demo` and `make check` are the README's
# two commands; both install what they need first.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB ?= demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build demo check test asan npm clean format

all: build

deps:
	@sh scripts/deps.sh

# The build embeds browser libraries from node_modules (see cmake/embed.cmake).
build: deps npm
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	@if [ -f $(DEMO_DB) ]; then \
		echo "using the existing $(DEMO_DB) (delete it for fresh data);" \
		     "sign in as owner@demo.example with password maitred-demo"; \
	else \
		$(BUILD)/maitred demo --db $(DEMO_DB); \
	fi
	$(BUILD)/maitred serve --db $(DEMO_DB) --listen $(LISTEN)

npm: deps
	@if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/uplot ] \
	   || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund; \
	fi

# Every tier on the normal build, then the unit, API and fuzz-replay tiers
# again under AddressSanitizer and UndefinedBehaviorSanitizer.
check: build npm
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	@$(MAKE) --no-print-directory asan

asan: deps npm
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMAITRED_SANITIZE=ON -DMAITRED_E2E=OFF
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j$(JOBS) -L 'unit|api|fuzz'

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

format:
	clang-format -i $$(git diff --name-only -- '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
