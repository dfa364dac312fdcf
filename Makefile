# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SAMPLE := sample_maps/library_visit.journey.json

.PHONY: run test lint bench fuzz clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamps re-install only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(VENV)/bin/journeymap $(SAMPLE)

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Every reader and exporter against at least 10,000 hostile cases each (slow).
fuzz: $(VENV)/.installed-test
	JOURNEYMAP_FUZZ=10000 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m fuzz \
		--hypothesis-show-statistics -q

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check journeymap tests benchmarks
	$(VENV)/bin/lint-imports

bench: $(VENV)/.installed-test
	@command -v dot >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq graphviz; } \
		|| echo "graphviz not installed: export timings will have no dot column"
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache benchmarks/_data
