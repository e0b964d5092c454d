#!/usr/bin/env bash
# Runs on the GPU machine (no Java, no network) from the repository root or anywhere: the CUDA parity
# tests and the learners' CUDA tests with the JUnit console launcher, then the kernel benchmark (CPU and CUDA side by side) and the
# rtrl, ff and reco learner benchmarks (CUDA beside the CPU). Needs the folder kernels/gpu/.carry/
# made by kernels/gpu/prepare.sh. Writes reports under $OUT when set (else kernels/gpu/out/). Exits
# with the test launcher's status. Environment: STEPS, the benchmarks to run (unset: "kernels rtrl ff
# reco"; empty: none); PARITY=0 skips the tests; PARITY_TIMEOUT_S and BENCH_TIMEOUT_S, each step's time limit; JUNIT_REPORTS, where the XML
# reports go; JFR=1 records each benchmark's profile (jdk.jfr) as bench-NAME.jfr beside its output.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
carry="$here/.carry"
out="${OUT:-$here/out}"
java="$carry/jre/bin/java"
mkdir -p "$out"

if [[ ! -x "$java" ]]; then
  echo "no runtime at $java: run kernels/gpu/prepare.sh first and carry kernels/gpu/.carry" >&2
  exit 2
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(uname -a)"
  "$java" -version 2>&1
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1
  else
    echo "nvidia-smi: not found (no GPU driver?)"
  fi
} | tee "$out/environment.txt"

# register use and spills of every kernel, compiled for the device in the background while the tests run
if command -v nvcc >/dev/null 2>&1; then
  (nvcc -arch=sm_90 -Xptxas -v -c -o /tmp/eddy_kernels.o "$here/../src/main/cuda/eddy_kernels.cu" \
    >"$out/ptxas.txt" 2>&1 &)
fi

# where a driver is installed, CUDA tests that cannot open the device fail instead of being skipped
if command -v nvidia-smi >/dev/null 2>&1; then
  export EDDY_REQUIRE_GPU=1
fi

classpath="$(ls "$carry"/lib/*.jar "$carry"/test/eddy-*tests.jar | paste -sd: -)"

tests_rc=0
if [[ "${PARITY:-1}" == 0 ]]; then
  echo "== CUDA parity tests: skipped (PARITY=0)"
else
echo "== CUDA parity tests"
timeout "${PARITY_TIMEOUT_S:-240}" "$java" --add-modules jdk.incubator.vector -Xmx4g -jar "$carry/test/junit-platform-console-standalone.jar" execute \
  --class-path "$classpath" \
  --select-package io.eddy.kernels.cuda \
  --select-package io.eddy.learners.cuda \
  --reports-dir "${JUNIT_REPORTS:-$out/junit}" \
  --details=tree --details-theme=ascii --disable-banner --disable-ansi-colors --fail-if-no-tests \
  2>&1 | tee "$out/parity.txt"
tests_rc=${PIPESTATUS[0]}
echo "parity tests exit status: $tests_rc" | tee -a "$out/parity.txt"
fi

# One benchmark: its class and arguments, its output in $out/bench-NAME.txt with its exit status.
bench() {
  local name="$1" title="$2"
  shift 2
  # an empty STEPS runs no benchmark; only an unset one runs them all
  if [[ " ${STEPS-kernels rtrl ff reco} " != *" $name "* ]]; then
    echo "== $title: skipped (STEPS=${STEPS-})"
    return
  fi
  echo "== $title"
  local profile=()
  if [[ "${JFR:-0}" == 1 ]]; then
    profile=("-XX:StartFlightRecording=filename=$out/bench-$name.jfr,settings=profile")
  fi
  timeout "${BENCH_TIMEOUT_S:-150}" "$java" --add-modules jdk.incubator.vector -Xmx8g ${profile[@]+"${profile[@]}"} -cp "$classpath" "$@" 2>&1 \
    | grep -v '^WARNING: Using incubator modules' | tee "$out/bench-$name.txt"
  echo "$name benchmark exit status: ${PIPESTATUS[0]}" | tee -a "$out/bench-$name.txt"
}

bench kernels "kernel benchmark" io.eddy.kernels.bench.KernelBenchmark --backend auto
bench rtrl "rtrl learner benchmark (one by one in double on the CPU, groups of 32 keys on the backend)" \
  io.eddy.learners.bench.RtrlLearnerBenchmark --backend auto --batch 32
bench ff "ff learner benchmark (784-2000x4 and 784-500x2: CPU in groups and one at a time, CUDA in groups)" \
  io.eddy.learners.bench.FfLearnerBenchmark --backend auto
bench reco "reco learner benchmark (top-10 over 100,000 items of 64 factors: one by one on the CPU, batched on the backend)" \
  io.eddy.learners.bench.RecoLearnerBenchmark --backend auto

exit "$tests_rc"
