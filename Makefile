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

.PHONY: all build deps ort openblas chromium test vet fuzz demo bench-teacher bench-student bench-student-bundle clean

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
	@if dpkg -s libopenblas-dev >/dev/null 2>&1; then $(GO) vet -tags openblas ./student/... ./training; fi

# The C/AVX2 kernels of the openblas build are tested only in that build:
# the packages that hold them, and student, whose tests train through them.
test: deps ort chromium openblas vet
	$(GO) test $(GOTEST_FLAGS) ./...
	@if dpkg -s libopenblas-dev >/dev/null 2>&1; then \
	  echo "$(GO) test $(GOTEST_FLAGS) -tags openblas ./student/... ./training"; \
	  $(GO) test $(GOTEST_FLAGS) -tags openblas ./student/... ./training; \
	else echo "test: libopenblas-dev is not installed: the openblas build's C kernels are not tested" >&2; fi

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

# The Step benchmarks for a machine without Go (a lent many-core host): the
# pure-Go (static) and OpenBLAS test binaries, OpenBLAS with the C libraries
# it loads (glibc and its loader too, so the host's glibc version does not
# matter) and the PyTorch script, xz-packed into $(BUNDLE_DIR)/ (ignored, about
# 18 MB) next to the script that runs them there: bash $(BUNDLE_DIR)/bench_student_bundle.sh
BUNDLE_DIR ?= bench-bundle
bench-student-bundle: deps openblas
	rm -rf $(BUNDLE_DIR) && mkdir -p $(BUNDLE_DIR)/pack/lib
	CGO_ENABLED=0 $(GO) test -c -ldflags '-s -w' -o $(BUNDLE_DIR)/pack/student-go.test ./student/
	$(GO) test -tags openblas -c -ldflags '-s -w' -o $(BUNDLE_DIR)/pack/student-openblas.test ./student/
	ldd $(BUNDLE_DIR)/pack/student-openblas.test | grep -o '/[^ ]*' | sort -u | xargs -I{} cp -L {} $(BUNDLE_DIR)/pack/lib/
	cp scripts/bench_torch_student.py $(BUNDLE_DIR)/pack/
	XZ_OPT='-6 -T0' tar -C $(BUNDLE_DIR)/pack -cJf $(BUNDLE_DIR)/bench.tar.xz . && rm -rf $(BUNDLE_DIR)/pack
	cp scripts/bench_student_bundle.sh $(BUNDLE_DIR)/
	@du -sh $(BUNDLE_DIR)

clean:
	rm -rf bin/ demo-out/ $(BUNDLE_DIR)/
