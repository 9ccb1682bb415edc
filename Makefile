# Centinela: `make run` sets up and serves the demo; `make test` sets up and runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install messages compilemessages migrate demo serve bench check-deploy upgrade clean

$(STAMP): pyproject.toml requirements.lock
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e ".[test]"
	$(PY) -m analysis.cli warmup
	@touch $(STAMP)

install: $(STAMP) compilemessages

compilemessages: $(STAMP)
	@$(PY) scripts/compilemessages.py

# The Spanish catalogue locale/es/LC_MESSAGES/django.po is edited directly (the one translation source). After
# changing interface strings: extract them into it (needs GNU gettext: apt-get install gettext), then translate what
# this lists; it fails while any Spanish entry is untranslated or fuzzy. CI runs it.
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l es --ignore=.venv --ignore=var --ignore=tests --ignore=bench \
		--no-obsolete --add-location=file -v0
	$(PY) scripts/check_messages.py
	@$(PY) scripts/compilemessages.py

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo --quiet-users

# The demo camera network: a loopback simulator (cameras 5 and 17 down, 9 down two minutes in five, 23 hanging)
# and the health monitor run beside the web server and stop with it.
SIMULATOR_ARGS ?= --cameras 40 --base-port 18554 --failing 5,17 --cycle 9=300/120 --hang 23

run: migrate
	@DEBUG=1 $(PY) manage.py load_demo
	@echo ""
	@echo "Centinela: http://$(HOST):$(PORT)/  (Ctrl+C para detener; el simulador de cámaras, el monitor y el proceso de trabajos se detienen con el servidor)"
	@DEBUG=1 $(PY) manage.py camera_simulator $(SIMULATOR_ARGS) > var/simulator.log 2>&1 & sim=$$!; \
	 DEBUG=1 CAMERA_ALLOWED_NETWORKS=127.0.0.1/32 CAMERA_ALLOWED_PORTS=18554 $(PY) manage.py monitor_cameras > var/monitor.log 2>&1 & mon=$$!; \
	 DEBUG=1 $(PY) manage.py run_jobs > var/jobs.log 2>&1 & jobs=$$!; \
	 trap 'kill $$sim $$mon $$jobs 2>/dev/null; wait $$sim $$mon $$jobs 2>/dev/null' EXIT INT TERM; \
	 DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	CENTINELA_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

# The gates .ci/run calls before the suite: lint and format (ruff, on all our Python), the import contracts
# (import-linter: layers of apps and modules, pyproject.toml) and types (mypy with django-stubs on analysis/,
# centinela/lib/, the camera probes and the analysis methods).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	CENTINELA_TESTING=1 $(VENV)/bin/mypy

# Speed figures, ours beside the reference libraries, to bench/results/ (BENCH_ARGS=--quick for a smoke run).
bench: install
	DEBUG=1 $(PY) bench/run.py $(BENCH_ARGS)

check-deploy: install
	SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') DEBUG=0 ALLOWED_HOSTS=centinela.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Upgrade a production install in one command (docs/deploy.md): as root, `make upgrade REF=v0.2.0`.
upgrade:
	deploy/upgrade.sh $(REF)

clean:
	rm -rf $(VENV) var/staticfiles
