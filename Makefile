# crumail: `make run` and `make test` do all the set-up on a fresh Debian
# machine (as root): Debian packages, a virtual environment under .venv,
# the Python packages; then they run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# What the tests need from Debian: a real IMAP server, mbsync for the IMAP
# benchmark, a browser for the web desk, sqlite3 for operators.
# What crumail itself runs: readpst (pst-utils) for `crumail import` of PST/OST files.
RUN_DEBS := pst-utils
TEST_DEBS := dovecot-imapd dovecot-core isync chromium sqlite3 openssl $(RUN_DEBS)
PYTHON_DEBS := python3 python3-venv python3-pip

.PHONY: run test bench setup debs rundebs python clean

run: setup rundebs
	@mkdir -p data/inbox
	@if [ ! -e data/crumail.db ]; then \
	  cp data/samples/*.eml data/inbox/ && \
	  sed -i "0,/^Date: .*/s//Date: $$(date -R)/" data/inbox/02-referral-from-force.eml && \
	  echo "first run: copied the sample circulations from data/samples/ into data/inbox/"; \
	fi
	@# The example force register (fictitious addresses) while the register is empty.
	$(BIN)/crumail forces import --if-empty data/forces.example.csv
	$(BIN)/crumail run

test: setup debs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup debs
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/msg_timing.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/imap.py
	$(BIN)/python bench/imap_outages.py
	$(BIN)/python bench/check.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/hostile_text.py
	$(BIN)/python bench/import.py

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

# A Python that can make virtual environments (Debian splits venv out).
python:
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || $(call apt,$(PYTHON_DEBS))

# Debian packages crumail (rundebs) or the tests (debs) need, installed only when missing.
rundebs:
	@$(MAKE) --no-print-directory debs TEST_DEBS="$(RUN_DEBS)"

debs:
	@missing=""; for p in $(TEST_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then $(call apt,$$missing); fi

define apt
( echo "installing Debian packages: $(1)"; apt-get update -qq && \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1) )
endef

clean:
	rm -rf $(VENV) .pytest_cache
