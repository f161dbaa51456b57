# Two commands set everything up: `make run` serves the demo site, `make test` runs the suite.
# Python 3.11: python3.11 if present, else python3 (checked below).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install assets lint messages clean

$(BIN)/activate: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
		|| { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

install: $(BIN)/activate

## make run: install, migrate, load the demo community, print the logins and serve on PORT.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py load_demo
	DEBUG=1 STAFF_2FA_RELAXED=1 SITE_URL=http://127.0.0.1:$(PORT) PORT=$(PORT) $(BIN)/python manage.py serve

## make test: the whole suite (SQLite unless DATABASE_URL points elsewhere).
test: install
	$(BIN)/pytest --ds=cityhall.test_settings -n $${TEST_WORKERS:-2} $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy cityhall tests conftest.py
	$(BIN)/lint-imports --no-cache

## make assets: refresh the vendored front-end files from frontend/package.json (needs npm).
assets:
	cd frontend && npm ci --no-audit --no-fund
	cp frontend/node_modules/@digital-go-jp/design-tokens/dist/tokens.css static/vendor/design-tokens/tokens.css
	cp frontend/node_modules/@digital-go-jp/design-tokens/LICENSE static/vendor/design-tokens/LICENSE
	cp frontend/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
	cp frontend/node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE
	# The source map is not vendored: drop its reference, or collectstatic's manifest fails on it.
	sed '/^\/\/# sourceMappingURL=/d' frontend/node_modules/hls.js/dist/hls.light.min.js \
		> static/vendor/hls/hls.light.min.js
	cp frontend/node_modules/hls.js/LICENSE static/vendor/hls/LICENSE

## make messages: extract and compile translations (needs GNU gettext).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=frontend
	DEBUG=1 $(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var
