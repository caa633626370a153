#!/usr/bin/env bash
# Measures the CLI's start-up as a vmware-rpctool replacement and rewrites the "CLI start-up"
# section of bench/RESULTS.md (between its markers; appended if missing). Needs hyperfine
# (apt-get install hyperfine) and a built CLI (./mvnw -q -B -DskipTests install).
# bench/run.sh rewrites RESULTS.md without this section: run this script after it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-20}
rpc="'info-get guestinfo.vmwguest.startup'"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
load_before=$(cut -d' ' -f1 /proc/loadavg)
hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$json" \
  "java -version" \
  "/usr/bin/vmware-rpctool $rpc" \
  "java -jar cli/target/vmwguest.jar rpc $rpc" \
  "cli/vmwguest rpc $rpc" >/dev/null
load_after=$(cut -d' ' -f1 /proc/loadavg)

section=$(python3 - "$json" "$runs" "$load_before" "$load_after" <<'PY'
import json, sys, subprocess, datetime
results = json.load(open(sys.argv[1]))['results']
runs, lb, la = sys.argv[2], sys.argv[3], sys.argv[4]
base = next(r for r in results if r['command'] == 'java -version')
jdk = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
cpu = open('/proc/cpuinfo').read().split('model name')[1].split('\n')[0].strip(' :\t')
out = ['<!-- cli-startup:begin (written by bench/cli-startup.sh) -->', '## CLI start-up', '',
       'Written by `bench/cli-startup.sh` on %s UTC: `hyperfine -N -i --warmup 3 --runs %s` over the four '
       'commands below, on %s, %s; load average %s before, %s after (the machine was shared, so '
       'wall times vary; user + sys CPU varies less).' % (
           datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M'), runs, cpu, jdk, lb, la), '',
       '| command | median wall ms | vs `java -version` | user + sys CPU ms |',
       '|---|---:|---:|---:|']
for r in results:
    out.append('| `%s` | %.0f | %.2f\u00d7 | %.0f |' % (r['command'], r['median'] * 1000,
               r['median'] / base['median'], (r['user'] + r['system']) * 1000))
print('\n'.join(out))
PY
)
python3 - "$section" <<'PY'
import sys, re
section = sys.argv[1]
notes = open('bench/cli-startup-notes.md').read().strip()
block = section + '\n\n' + notes + '\n<!-- cli-startup:end -->\n'
text = open('bench/RESULTS.md').read()
pattern = re.compile(r'<!-- cli-startup:begin.*?<!-- cli-startup:end -->\n', re.S)
text = pattern.sub(lambda m: block, text) if pattern.search(text) else text.rstrip('\n') + '\n\n' + block
open('bench/RESULTS.md', 'w').write(text)
PY
echo "== CLI start-up section of bench/RESULTS.md rewritten"
