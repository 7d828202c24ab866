# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
SHARED ?= ../shared

.PHONY: setup run test golden score score-dev bench bench-big bench-scale clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: setup  ## process raw/ into parsed/, print a summary, write the review site to review/
	$(VENV)/bin/councilpapers run raw -o parsed
	$(VENV)/bin/councilpapers review parsed -o review --raw raw

test: setup  ## the whole test suite (CI runs this)
	$(PY) -m pytest -q

golden: setup  ## rewrite tests/golden/ and tests/golden_dev/ from what the pipeline extracts now (review the diff!)
	$(PY) -m tests.snapshots --write

score: run  ## score parsed/ against the seed answer keys
	$(PY) $(SHARED)/tools/score.py parsed $(SHARED)/gold/seeds

score-dev: setup  ## the 40 councils' pages in ../shared/corpus/pages against ../shared/gold/dev
	rm -rf parsed-dev && $(VENV)/bin/councilpapers run $(SHARED)/corpus/pages -o parsed-dev
	$(PY) $(SHARED)/tools/score.py parsed-dev $(SHARED)/gold/dev | tail -n 16

bench: setup  ## throughput on ../shared/corpus beside pdfplumber and pypdfium2
	$(PY) benchmarks/bench.py

bench-big: setup  ## one big .txt (1-20 MB) and one 20 MB web page: seconds per MB and peak memory
	$(PY) benchmarks/bench_big.py

bench-scale: setup  ## the corpus 1x, 16x, 64x on the local pool and Dask, re-runs, 10,000 small papers (docs/scaling.md)
	$(PY) benchmarks/bench_scale.py

clean:
	rm -rf parsed/*.parquet parsed/run.json parsed/*.json parsed/.current parsed/.generations parsed-dev .pytest_cache
