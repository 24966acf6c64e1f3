# crumail: `make run` and `make test` do all the set-up on a fresh Debian
# machine (as root): Debian packages, a virtual environment under .venv,
# the Python packages, then run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
APT_PACKAGES := dovecot-imapd isync chromium sqlite3

.PHONY: run test bench setup debs clean

run: setup
	$(BIN)/crumail run

test: setup debs
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# Debian packages the tests need: installed only when missing, so a
# machine that has them costs nothing.
debs:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

bench: setup debs
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache
