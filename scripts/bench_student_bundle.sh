#!/bin/bash
# Runs the student training-step benchmarks of a `make bench-student-bundle`
# bundle on a machine without Go (a lent many-core host with python3, numpy
# and PyTorch): numpy's float32 GEMM rate, distill's OpenBLAS build (large
# products split on goroutines, then DISTILL_GEMM=openblas: OpenBLAS's own
# threads), the same step in PyTorch, distill's pure-Go build (the static
# binary: its own AVX2 SGEMM and row loops), each at every thread count of
# THREADS (GO_THREADS for the pure-Go build). It prints the tables and keeps
# every command's whole output in $OUT (or the bundle's out/).
#
#   bash bench-bundle/bench_student_bundle.sh [BUNDLE_DIR]
#
# Settings (environment; defaults fit a 16-core host in about 8 minutes):
#   THREADS       thread counts                           1,2,4,8,16
#   BENCHTIME     -benchtime of the OpenBLAS rows         2x
#   GO_THREADS    thread counts of the pure-Go rows       THREADS
#   GO_BENCHTIME  -benchtime of the pure-Go rows          1x
#   TORCH_STEPS   timed PyTorch steps after a warm-up     2
#   PYTHON        the python with numpy and torch         python3
#   BUDGET        seconds for the whole run               480
# A part that would start with less than a minute of BUDGET left is
# skipped; each part is stopped when BUDGET runs out (the Go tables print at
# the end of their run, the PyTorch rows one by one).
set -u
export PATH="${PATH:-/usr/local/bin:/usr/bin:/bin}"
here=$(cd "$(dirname "$0")" && pwd)
bundle=${1:-$here}
if [ $# = 0 ] && [ ! -f "$bundle/bench.tar.xz" ]; then # a copied script: the bundle in ./bench-bundle
	bundle=$PWD/bench-bundle
fi
if [ ! -f "$bundle/bench.tar.xz" ]; then
	echo "bench_student_bundle: no bench.tar.xz in $bundle$([ $# = 0 ] && echo " or $here") (make bench-student-bundle builds it)" >&2
	exit 2
fi
bundle=$(cd "$bundle" && pwd)
THREADS=${THREADS:-1,2,4,8,16}
BENCHTIME=${BENCHTIME:-2x}
GO_THREADS=${GO_THREADS:-$THREADS}
GO_BENCHTIME=${GO_BENCHTIME:-1x}
TORCH_STEPS=${TORCH_STEPS:-2}
PYTHON=${PYTHON:-python3}
BUDGET=${BUDGET:-480}
out=${OUT:-$bundle/out}
mkdir -p "$out"

work=$(mktemp -d "${TMPDIR:-/tmp}/distill-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
if command -v xz >/dev/null 2>&1; then
	tar -C "$work" -xJf "$bundle/bench.tar.xz"
else
	"$PYTHON" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$bundle/bench.tar.xz" "$work"
fi || { echo "bench_student_bundle: cannot unpack $bundle/bench.tar.xz" >&2; exit 1; }
lib=$work/lib

# The OpenBLAS binary runs on the bundle's loader and libraries (glibc
# included), so LD_LIBRARY_PATH is set for it alone, as --library-path.
openblas_test() { "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$work/student-openblas.test" "$@"; }
go_test() { "$work/student-go.test" "$@"; }

echo "host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u +%FT%TZ)"
echo "threads $THREADS; budget ${BUDGET}s; full outputs in $out"

export -f openblas_test go_test
export lib work THREADS PYTHON

# part NAME FILE CMD...: runs CMD (a command or an exported function) with
# what is left of BUDGET, its output
# into $out/FILE; prints the tables of a Go benchmark, all of anything else.
part() {
	local name=$1 file=$2
	shift 2
	local left=$((BUDGET - SECONDS))
	echo
	echo "== $name"
	if [ "$left" -lt 60 ]; then
		echo "(skipped: ${left}s of the budget left)"
		return
	fi
	local t0=$SECONDS
	timeout "$left" bash -c '"$@"' _ "$@" >"$out/$file" 2>&1
	local rc=$?
	if grep -q '^training step' "$out/$file"; then
		sed -n '/^training step/,$p' "$out/$file" | grep -v '^PASS$'
	else
		tail -n 40 "$out/$file"
	fi
	[ "$rc" = 0 ] || echo "(exit status $rc$([ "$rc" = 124 ] && echo ': stopped at the budget'))"
	echo "($((SECONDS - t0))s)"
}

numpy_sgemm() {
	local t
	for t in ${THREADS//,/ }; do
		OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t "$PYTHON" - "$t" <<'EOF'
import sys, time
import numpy as np
n, best = 2048, float("inf")
a, b = np.random.rand(n, n).astype(np.float32), np.random.rand(n, n).astype(np.float32)
a @ b
for _ in range(5):
    t = time.perf_counter()
    a @ b
    best = min(best, time.perf_counter() - t)
print(f"numpy {np.__version__}  threads {sys.argv[1]:>2}  SGEMM {n}x{n}: {2 * n**3 / best / 1e9:8.1f} GFLOP/s")
EOF
	done
}

# gobench THREADS CMD...: the Step benchmarks of a test binary.
gobench() {
	local threads=$1
	shift
	"$@" -test.run '^$' -test.bench Step -threads "$threads"
}
export -f numpy_sgemm gobench

part "numpy float32 GEMM (its own BLAS)" numpy.txt numpy_sgemm
part "distill, OpenBLAS build (large products split on goroutines)" openblas.txt gobench "$THREADS" openblas_test -test.benchtime "$BENCHTIME"
part "PyTorch, the same step" torch.txt "$PYTHON" "$work/bench_torch_student.py" --threads "$THREADS" --steps "$TORCH_STEPS"
part "distill, pure-Go build" go.txt gobench "$GO_THREADS" go_test -test.benchtime "$GO_BENCHTIME"
part "distill, OpenBLAS build, DISTILL_GEMM=openblas (OpenBLAS's own threads)" openblas-threads.txt \
	env DISTILL_GEMM=openblas bash -c '"$@"' _ gobench "$THREADS" openblas_test -test.benchtime "$BENCHTIME"
echo
echo "total ${SECONDS}s"
