#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The sandboxed workers find what `piiguard scan` finds: every fixture and
# saved fuzz input (text in a dozen encodings, archives, Office files, PDFs,
# e-mail, SQLite, caches) dropped into a watched folder ends with the same
# outcome and the same findings as a scan in-process. A seccomp refusal, or
# a library that cannot load what it needs inside the sandbox, shows here as
# worker_crashed or as a missing finding.
. "$(dirname "$0")/agent-lib.sh"

mkdir w in
i=0
while IFS= read -r f; do
	i=$((i + 1))
	cp "$f" "in/$i-${f##*/}"
done < <(find "$PIIGUARD_SRC/tests/data" "$PIIGUARD_SRC/tests/fuzz/corpus" -type f ! -name 'crash-*' | sort)
n=$i
note "$n files"

ok "the agent starts" agent_start --root w --jobs 2
cp in/* w/
all_done() { [ "$(sqlite3 "$STORE" "SELECT count(*) FROM files WHERE outcome IS NOT NULL" 2>/dev/null)" -ge "$n" ]; }
ok "every file is scanned to an outcome" wait_until 20 all_done
is "$(sqlite3 "$STORE" "SELECT count(*) FROM files WHERE outcome IN ('worker_crashed', 'timed_out')")" 0 \
	"no worker crashed or ran out of time"

"$PIIGUARD" scan --store "$TD/scan.db" --key-file "$KEY" -c "$TD/empty.conf" --jobs 2 in >/dev/null 2>&1
outcomes() { sqlite3 "$1" "SELECT replace(replace(path, '$TD/w/', ''), '$TD/in/', ''), outcome FROM files ORDER BY 1"; }
findings() {
	"$PIIGUARD" findings list -c "$TD/empty.conf" --store "$1" --format jsonl | jl path member rule masked |
		sed -e "s|$TD/w/||" -e "s|$TD/in/||" | sort
}
is "$(outcomes "$STORE")" "$(outcomes "$TD/scan.db")" "the same outcome for every file as piiguard scan"
is "$(findings "$STORE")" "$(findings "$TD/scan.db")" "the same findings as piiguard scan"
done_testing
