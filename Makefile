# The two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: demo test screenshots lint install install-test browser pdf-libs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Browser tests drive Debian's chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Instalando chromium (Debian) para las pruebas de navegador..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# PDF constancias (WeasyPrint) need Pango, HarfBuzz's subsetter and a font
# (DejaVu, which the templates name); install them when missing.
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
pdf-libs:
	@LDCONFIG=$$(command -v ldconfig || echo /sbin/ldconfig); missing=""; \
	for lib in $(PDF_LIBS); do $$LDCONFIG -p | grep -q "$$lib" || missing=1; done; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing=1; \
	[ -z "$$missing" ] || { \
	  echo "Instalando Pango y fuentes (Debian) para los PDF..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; }

demo: install pdf-libs
	$(BIN)/mac demo --port $(PORT)

# Two processes (pytest-xdist), whole files each; `make test PYTEST_WORKERS=0`
# runs in one. More than two would need more than PostgreSQL's 100
# connections: the race tests open up to 40 each.
PYTEST_WORKERS ?= 2

test: install-test browser pdf-libs
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Pictures of the screens in docs/screens/ (the browser tests take them; a
# plain `make test` writes them to a temporary folder instead).
screenshots: install-test browser pdf-libs
	MAC_SCREENSHOTS=1 $(BIN)/python -m pytest -q -m browser $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mac
	$(BIN)/mac makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles
