#!/usr/bin/env bash
# Builds the consumer against the installed vmwguest artifacts (./mvnw -DskipTests install first),
# runs its test, then runs the application against the simulated host three ways: on the class path,
# on the module path, and as a jlink image linked with --bind-services. Extra Maven options (e.g.
# -Dmaven.repo.local=...) are passed through.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
"$here/../../mvnw" -B -q "$@" -f "$here/pom.xml" clean package

sim=(-Dvmwguest.backdoor=sim)
jar=target/vmwguest-example-consumer-1.jar
main=dev.vmwguest.example.consumer.ConsumerApp
module=dev.vmwguest.example.consumer

check() {   # check NAME EXPECTED-SUFFIX COMMAND...
  local name=$1 expected=$2; shift 2
  local out
  out=$("$@")
  echo "$name: $out"
  case $out in
    *"guestinfo.ip=10.0.0.5; host "*"; $expected") ;;
    *) echo "consumer: the $name run printed something else (wanted ...; $expected)" >&2; exit 1 ;;
  esac
}

check "class path" "class path" java "${sim[@]}" -cp "$jar:target/lib/*:target/sim/*" "$main"
check "module path" "module $module" java "${sim[@]}" --enable-native-access=com.sun.jna \
  -p "$jar:target/lib:target/sim" -m "$module/$main"

rm -rf target/image
jlink --module-path "$jar:target/lib:target/sim" --add-modules "$module" --bind-services \
  --strip-debug --no-header-files --no-man-pages --output target/image
# The image has exactly what was linked: the application, vmwguest, JNA and the simulated host.
target/image/bin/java --list-modules | grep -q '^dev.vmwguest.backdoor.jna' \
  || { echo "consumer: jlink left out the native backdoor module" >&2; exit 1; }
check "jlink image" "module $module" target/image/bin/java "${sim[@]}" --enable-native-access=com.sun.jna \
  -m "$module/$main"

# Linked without --bind-services, the image lacks the providers; the error must say so.
rm -rf target/image-unbound
jlink --module-path "$jar:target/lib:target/sim" --add-modules "$module" --output target/image-unbound
if err=$(target/image-unbound/bin/java -m "$module/$main" 2>&1); then
  echo "consumer: the image linked without --bind-services ran, but it has no backdoor provider" >&2; exit 1
fi
case $err in
  *"--bind-services"*) echo "unbound image: refused, advising --bind-services" ;;
  *) echo "consumer: the unbound image failed without advising --bind-services: $err" >&2; exit 1 ;;
esac
echo "consumer: class path, module path and jlink image all ran against the simulated host"
