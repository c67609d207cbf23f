# distill: everything a fresh Debian machine with Go, gcc and npm needs.
#   make build   -> bin/distill (and the ONNX Runtime library the teacher runs on)
#   make test    -> set-up, vet, all tests (fuzz seed corpora included)
#   make demo    -> set-up, the whole pipeline on the shipped Cranfield data
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/distill-ml/distill/internal/version.Version=$(VERSION)
ORT_VERSION := 1.30.0
ORT_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/distill/onnxruntime/$(ORT_VERSION)
ORT_LIB := $(ORT_DIR)/libonnxruntime.so.1
GOTEST_FLAGS ?= -timeout 30m

.PHONY: all build deps ort openblas chromium test vet fuzz demo bench-teacher bench-student clean

all: build

# Go modules (the proxy is reachable from CI and developer machines).
deps:
	$(GO) mod download

# The ONNX Runtime shared library, from the npm package onnxruntime-node.
ort: $(ORT_LIB)
$(ORT_LIB):
	bash scripts/install-ort.sh "$(ORT_DIR)"

# OpenBLAS for the `openblas` build tag (student training speed); root only.
openblas:
	@if [ -f /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h ] || [ -f /usr/include/openblas/cblas.h ] || dpkg -s libopenblas-dev >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas-dev >/dev/null; \
	else echo "openblas: not root; install libopenblas-dev to use -tags openblas" >&2; fi

# Headless Chromium for the report's layout test (skipped, saying so, without it); root only.
chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium: not root; install chromium to run the report's layout test" >&2; fi

build: deps ort
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/distill ./cmd/distill

vet: deps
	$(GO) vet ./...

test: deps ort chromium vet
	$(GO) test $(GOTEST_FLAGS) ./...

# Run every fuzz target for FUZZTIME each (seed corpora also run in `make test`).
FUZZTIME ?= 20s
fuzz: deps
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# The demo trains students: it builds with OpenBLAS when available (installed when root).
demo: deps ort openblas
	@tags=""; if dpkg -s libopenblas-dev >/dev/null 2>&1; then tags=openblas; fi; \
	echo "building bin/distill-demo (tags: $${tags:-none})"; \
	$(GO) build -tags "$$tags" -ldflags "$(LDFLAGS)" -o bin/distill-demo ./cmd/distill
	DISTILL=bin/distill-demo bash scripts/demo.sh

# The PyTorch reference row needs Debian's python3-torch in /usr/bin/python3 (optional).
bench-teacher: deps ort
	$(GO) run ./internal/cmd/benchteacher -dump /tmp/distill-bench-teacher
	@if /usr/bin/python3 -c 'import torch' 2>/dev/null; then \
	  echo; echo "PyTorch reference on the same batches (threads, what, speed):"; \
	  /usr/bin/python3 scripts/bench_torch_teacher.py /tmp/distill-bench-teacher; \
	else echo "(PyTorch reference skipped: apt-get install python3-torch to compare)"; fi

# BENCH_THREADS=1,2,4 gives a scaling table; BENCH_TORCH=1 adds the PyTorch
# reference of the same step (scripts/bench_torch_student.py; slow with
# Debian's torch 1.13).
BENCH_THREADS ?=
BENCH_TIME ?= 2x
bench-student: deps openblas
	$(GO) test -run '^$$' -bench 'Step' -benchtime $(BENCH_TIME) ./student/ -args $(if $(BENCH_THREADS),-threads $(BENCH_THREADS))
	@if dpkg -s libopenblas-dev >/dev/null 2>&1; then \
	  $(GO) test -tags openblas -run '^$$' -bench 'Step' -benchtime $(BENCH_TIME) ./student/ -args $(if $(BENCH_THREADS),-threads $(BENCH_THREADS)); fi
	@if [ -n "$(BENCH_TORCH)" ]; then /usr/bin/python3 scripts/bench_torch_student.py --threads $(or $(BENCH_THREADS),$$(nproc)); fi

clean:
	rm -rf bin/ demo-out/
