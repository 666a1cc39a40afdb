# The two commands users need are `make run` and `make test`; the rest are conveniences.
# The first call creates .venv (and .venv-checkov for `make test`); later calls reuse them
# unless pyproject.toml or a requirements.txt changed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_VERSION := pip==26.3
REQUIREMENTS := $(sort $(wildcard services/*/requirements.txt))
PORT ?= 3000
AWS_PORT ?= 4566
SERVICE ?=
# Delivery (make plan / deploy / test-component / smoke): one component in one environment.
ENV ?=
COMPONENT ?=
PLAN ?=
NO_BUILD ?=
SERVICES := product basket order

.DEFAULT_GOAL := help
.PHONY: help run reset invoke test build bench traces token faults openapi fuzz fmt lint clean replay-catalogue \
	replica-lag test-component plan deploy smoke release-contracts

help:
	@echo "make run     start the local cloud: APIs on http://127.0.0.1:$(PORT), its AWS on :$(AWS_PORT)"
	@echo "             (PORT=, AWS_PORT=); keeps its AWS state across runs (FRESH=1: start empty)"
	@echo "make reset   forget the saved state of the local cloud on PORT: the next make run starts empty"
	@echo "make invoke FUNCTION=basket EVENT=events/basket/checkout.json"
	@echo "             invoke one function's built package once, as sam local invoke (events/: samples)"
	@echo "make test    run every test (SERVICE=product|basket|order for one service's unit tests)"
	@echo "make build   write dist/<service>.zip for Lambda (python3.13, arm64)"
	@echo "make bench   print performance figures (ARGS=\"--rounds 2 --requests 50\")"
	@echo "make traces  show recent X-Ray traces of the local cloud (ARGS=\"--checkout-id ID\")"
	@echo "make token USER=alice [ADMIN=1]  print an ID token of the running local cloud (-s: only the token)"
	@echo "make faults  print the fault matrix: each route's answer and state under injected AWS faults"
	@echo "make openapi put the models' schemas into services/*/openapi.yaml"
	@echo "make fuzz    schemathesis on every operation of a local cloud (ARGS=\"--max-examples N\")"
	@echo "make replay-catalogue  republish every product to the catalogue replicas (ARGS=\"TABLE\" in AWS)"
	@echo "make replica-lag       product write -> basket catalogue replica lag on the running local cloud"
	@echo "make plan ENV=dev COMPONENT=basket    build, init with envs/dev.backend.hcl, plan to dist/plans/ (PLAN=file)"
	@echo "make deploy ENV=dev COMPONENT=basket  the same, then apply that plan (PLAN=file: apply a saved plan) and shift traffic"
	@echo "make test-component COMPONENT=basket  the tests a component's pipeline runs"
	@echo "make smoke [ENV=dev]  the smoke suite against a deployed stage (default: the running local cloud)"
	@echo "make release-contracts  record the event contracts as released (refuses a breaking change)"
	@echo "make fmt | make lint"

$(VENV)/.installed: pyproject.toml $(REQUIREMENTS)
	@echo "Installing the development packages (moto, pytest, ruff, the services' dependencies) into $(VENV):"
	@echo "a minute or two the first time, seconds after a change of pyproject.toml or a requirements.txt ..."
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -qq --disable-pip-version-check '$(PIP_VERSION)'
	$(PY) -m pip install -qq --disable-pip-version-check --group dev $(addprefix -r ,$(REQUIREMENTS))
	@touch $@

.venv-checkov/.installed: pyproject.toml
	@echo "Installing checkov into .venv-checkov (for make test): a minute or two the first time ..."
	@test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	@.venv-checkov/bin/python -m pip install -qq --disable-pip-version-check '$(PIP_VERSION)'
	.venv-checkov/bin/python -m pip install -qq --disable-pip-version-check --group checkov
	@touch $@

run: $(VENV)/.installed
	PORT=$(PORT) AWS_PORT=$(AWS_PORT) FRESH=$(FRESH) $(PY) -m scripts.localcloud

reset: $(VENV)/.installed
	@$(PY) -m scripts.localcloud.reset --port $(PORT)

invoke: $(VENV)/.installed
	@$(if $(and $(FUNCTION),$(EVENT)),,$(error Name the function and the event: make invoke FUNCTION=basket EVENT=events/basket/checkout.json))
	@$(PY) -m scripts.localcloud.invoke '$(FUNCTION)' '$(EVENT)' --port $(PORT)

test: $(VENV)/.installed .venv-checkov/.installed
	$(PY) -m pytest $(if $(SERVICE),tests/$(SERVICE))

build: $(VENV)/.installed
	$(PY) -m scripts.build $(SERVICE)

test-component: $(VENV)/.installed .venv-checkov/.installed
	@$(if $(COMPONENT),,$(error Name the component: make test-component COMPONENT=basket))
	$(PY) -m pytest $$($(PY) -m scripts.deploy.selection $(COMPONENT))

# A service's package is built first (reproducibly), unless NO_BUILD=1: the pipeline downloads the one it built.
plan deploy: $(VENV)/.installed
	@$(if $(and $(ENV),$(COMPONENT)),,$(error Name both: make $@ ENV=dev COMPONENT=basket))
	$(if $(NO_BUILD),,$(if $(filter $(COMPONENT),$(SERVICES)),$(PY) -m scripts.build $(COMPONENT)))
	$(PY) -m scripts.deploy $@ $(ENV) $(COMPONENT) $(if $(PLAN),--plan $(PLAN))

smoke: $(VENV)/.installed
	$(PY) -m scripts.smoke $(if $(ENV),--env $(ENV),--port $(PORT)) $(ARGS)

release-contracts: $(VENV)/.installed
	$(PY) -m scripts.contracts release

bench: $(VENV)/.installed
	$(PY) -m scripts.bench $(ARGS)

traces: $(VENV)/.installed
	$(PY) -m scripts.traces --port $(PORT) $(ARGS)

# USER must come from the command line: the environment's USER is the login name.
token: $(VENV)/.installed
	@$(if $(filter command line,$(origin USER)),,$(error Name the user: make token USER=alice [ADMIN=1]))
	@$(PY) -m scripts.token '$(USER)' --port $(PORT) $(if $(filter 1 true yes,$(ADMIN)),--admin)
faults: $(VENV)/.installed
	$(PY) -m scripts.faults

openapi: $(VENV)/.installed
	$(PY) -m scripts.openapi

fuzz: $(VENV)/.installed
	$(PY) -m scripts.fuzz $(ARGS)

replay-catalogue: $(VENV)/.installed
	$(PY) -m scripts.replay_catalogue --port $(PORT) $(ARGS)

replica-lag: $(VENV)/.installed
	$(PY) -m scripts.bench.replica_lag --port $(PORT) $(ARGS)

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	terraform fmt -recursive terraform tests/terraform

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf dist .build .localcloud .pytest_cache .ruff_cache .fuzz .hypothesis .schemathesis
