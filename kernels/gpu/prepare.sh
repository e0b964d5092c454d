#!/usr/bin/env bash
# Prepares kernels/gpu/.carry/ on a build machine (Java 17, Maven, ~/.m2) for kernels/gpu/run.sh on
# the GPU machine, which has no Java and no network. Carry the folder with the working tree; it must
# stay under 64 MiB. Usage: kernels/gpu/prepare.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
carry="$here/.carry"
limit_bytes=$((64 * 1024 * 1024))
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
jcuda_version=12.6.0
console_version=1.14.1

cd "$root"
echo "== building the kernels and learners modules and their tests"
mvn -q -B -o install -DskipTests -pl kernels,learners

rm -rf "$carry"
mkdir -p "$carry/lib" "$carry/test"

echo "== jlink runtime"
# The four modules the toolchain notes name, plus java.xml (the console launcher's XML reports),
# jdk.zipfs (its package scan inside jars finds no tests without it) and jdk.incubator.vector (the
# CPU backend's fast path, so that CUDA is compared with the CPU backend at its best).
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [[ "$java_major" -ge 21 ]]; then compress=zip-6; else compress=2; fi
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.xml,jdk.zipfs,jdk.incubator.vector,jdk.jfr \
  --strip-debug --no-header-files --no-man-pages --compress="$compress" --output "$carry/jre"

echo "== jars"
cp kernels/target/eddy-kernels-*.jar "$carry/lib/"
# the learners (no Kafka) for the rtrl learner benchmark; they need nothing beyond the kernels
cp learners/target/eddy-learners-*.jar "$carry/lib/"
jar --create --file "$carry/test/eddy-kernels-tests.jar" -C kernels/target/test-classes .
# the learners' CUDA tests alone (their other tests need data and helpers that stay here)
jar --create --file "$carry/test/eddy-learners-cuda-tests.jar" -C learners/target/test-classes io/eddy/learners/cuda
cp "$m2/org/jcuda/jcuda/$jcuda_version/jcuda-$jcuda_version.jar" "$carry/lib/"
cp "$m2/org/jcuda/jcuda-natives/$jcuda_version/jcuda-natives-$jcuda_version-linux-x86_64.jar" "$carry/lib/"
console="$m2/org/junit/platform/junit-platform-console-standalone/$console_version"
console="$console/junit-platform-console-standalone-$console_version.jar"
if [[ ! -f "$console" ]]; then
  mvn -q -B dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$console_version"
fi
cp "$console" "$carry/test/junit-platform-console-standalone.jar"

total="$(du -sb "$carry" | cut -f1)"
echo "== $carry: $((total / 1024 / 1024)) MiB ($total bytes)"
du -sh "$carry"/* | sed 's/^/   /'
if [[ "$total" -ge "$limit_bytes" ]]; then
  echo "too large: at most 64 MiB travel to the GPU machine" >&2
  exit 1
fi
