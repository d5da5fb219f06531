# The two commands that matter: `make run` (the kiosk on the default bundle) and `make test`.
# Both create .venv and install the pinned dependencies on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat constraints.txt pyproject.toml | cksum | cut -d' ' -f1)
ARGS ?=

.PHONY: run test lint typecheck pytest validate screenshots clean lock package bench deb words

$(STAMP): constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.12 for example")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt pip setuptools
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt --no-build-isolation -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP)
	$(PY) -m kiosk $(ARGS)

test: lint typecheck pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check kiosk tests scripts
	$(VENV)/bin/ruff format --check kiosk tests scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

validate: $(STAMP)
	$(PY) -m kiosk validate content/petrograd-1917

# The kiosk's own words: compile kiosk/locale/*/LC_MESSAGES/kiosk.po (edited) to kiosk.mo (read).
words: $(STAMP)
	$(PY) scripts/compile_words.py

screenshots: $(STAMP)
	$(PY) scripts/screenshots.py /tmp/kiosk-screenshots
	@echo "screenshots in /tmp/kiosk-screenshots; copy the ones worth keeping into docs/"

# The one-folder PyInstaller build (kiosk.spec): dist/kiosk/kiosk and dist/kiosk/kiosk-debug.
package: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN kiosk.spec
	dist/kiosk/kiosk-debug --smoke-test
	@du -sh dist/kiosk

# The benchmark suite (docs/performance.md): benchmarks/results.json and RESULTS.md, about ten
# minutes. QUICK=1: tiny counts that only prove the suite runs (results in a temporary folder).
# BENCH_ARGS: more options, e.g. BENCH_ARGS="--soak-budget 0" (python -m kiosk.bench run --help).
bench: $(STAMP)
	$(PY) -m kiosk.bench run $(if $(QUICK),--quick) $(BENCH_ARGS)

# Re-pin every dependency after changing pyproject.toml (then run make test).
lock:
	rm -rf /tmp/kiosk-lock && $(PYTHON) -m venv /tmp/kiosk-lock
	/tmp/kiosk-lock/bin/pip install --quiet --upgrade pip setuptools
	/tmp/kiosk-lock/bin/pip install --quiet --no-build-isolation -e ".[dev]"
	/tmp/kiosk-lock/bin/pip freeze --all --exclude-editable > constraints.txt.new
	@echo "review constraints.txt.new, then move it over constraints.txt (keep the header comment)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# A Debian package of the one-folder build (scripts/build_deb.py, packaging/deb/): the program in
# /opt/kiosk, a systemd unit running it in cage on tty1 as the `kiosk` user, a nightly restart.
# Builds the package first when dist/kiosk is missing. Needs dpkg-deb (apt-get install dpkg-dev).
deb: $(STAMP)
	@test -x dist/kiosk/kiosk || $(MAKE) package
	$(PY) scripts/build_deb.py dist/kiosk --out dist
