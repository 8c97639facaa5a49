# Outreach — make help lists the targets.
SHELL := /bin/bash
GO ?= go
PKGS := ./...
FUZZTIME ?= 5s

.PHONY: help build test unit provision vet fmt-check fuzz bench run-demo clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the outreach binary into bin/
	$(GO) build -o bin/outreach ./cmd/outreach

provision: ## install and start PostgreSQL, Redis, sipp, baresip, kamailio, espeak-ng, sox, chromium when missing
	bash scripts/provision.sh

test: provision fmt-check vet unit fuzz ## the full suite (what CI runs): provision, gofmt, vet, race tests, short fuzzing

unit: ## go test -race over every package (needs the provisioned servers)
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	$(GO) test -race -count=1 -timeout 10m -tags pocketsphinx ./asr/...
	$(GO) test -race -count=1 -timeout 10m -tags pocketsphinx -run 'TestVoice|TestSpeechAccuracy' ./internal/e2e/

vet: ## go vet (also with the pocketsphinx build tag)
	$(GO) vet $(PKGS)
	$(GO) vet -tags pocketsphinx ./asr/...

fmt-check: ## fail when a file is not gofmt-ed
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fuzz: ## run every fuzz target briefly (FUZZTIME=5s each)
	@bash scripts/fuzz.sh $(FUZZTIME)

bench: ## benchmarks side by side with sipp (see README "Benchmarks")
	$(GO) test -run '^$$' -bench . -benchmem ./media/... ./campaigns/...
	$(GO) run ./cmd/outreach bench
	cd bench/asynqpeer && $(GO) run . -n 100000

run-demo: ## run the demo
	$(GO) run ./cmd/outreach demo

clean: ## remove build output
	rm -rf bin
