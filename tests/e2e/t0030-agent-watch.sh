#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The agent sees files as they arrive: written, moved in, copied with cp -r
# into a new nested folder, renamed, a .docx, an ID card photo; each finding is in the store
# within 2 seconds. Files there before the start are found by the start-up
# scan; a root created after the start is watched; piiguard status tells
# what the agent does; a file with nothing in it is recorded clean.
. "$(dirname "$0")/agent-lib.sh"

mkdir -p w1 elsewhere/tree/sub/deeper
printf '%s\n' "$CCCD" >w1/before.txt
printf '%s\n' "$CCCD" >elsewhere/moved.txt
printf '%s\n' "$CCCD" >elsewhere/tree/sub/deeper/nested.txt
printf '%s\n' "$CCCD" >elsewhere/tree/top.txt
W1=$TD/w1
printf '[watch]\nexclude = */skip/*\n' >etc/piiguard.conf

ok "the agent starts and answers" agent_start --root w1 --root later/sub --jobs 2
ok "start-up scan: a file already there" wait_until 3 has_finding "$W1/before.txt"

printf '%s\n' "$CCCD" >w1/written.txt
ok "a file written: found within 2 s" wait_until 2 has_finding "$W1/written.txt"

mv elsewhere/moved.txt w1/
ok "a file moved in: found within 2 s" wait_until 2 has_finding "$W1/moved.txt"

cp -r elsewhere/tree w1/
ok "cp -r: a file two folders down a new tree, within 2 s" wait_until 2 has_finding "$W1/tree/sub/deeper/nested.txt"
ok "cp -r: a file at the top of the new tree" has_finding "$W1/tree/top.txt"

folders() { "$PIIGUARD" status | sed -n 's/^folders watched: //p'; }
before=$(folders)
rm -rf w1/tree
gone() { [ "$(folders)" -eq $((before - 3)) ]; }
ok "a deleted folder tree drops its three watches" wait_until 2 gone
mkdir -p w1/away/inner
moved_in() { [ "$(folders)" -eq $((before - 1)) ]; }
ok "a new folder tree is watched" wait_until 2 moved_in
mv w1/away elsewhere/away
ok "a folder tree moved out drops its watches" wait_until 2 gone
printf '%s\n' "$CCCD" >elsewhere/away/inner/outside.txt

mkdir w1/skip
printf '%s\n' "$CCCD" >w1/skip/excluded.txt
printf '%s\n' "$CCCD" >w1/control.txt
ok "a file after the excluded one is found" wait_until 2 has_finding "$W1/control.txt"
lacks "$(stored)" "excluded.txt" "a file matching an exclude pattern is not scanned"
lacks "$(stored)" "outside.txt" "a file written in a folder moved out of the root is not scanned"

mkdir w1/docs
printf 'nothing here\n' >w1/docs/plain.txt
mv w1/docs/plain.txt w1/docs/renamed.txt
printf '%s\n' "$CCCD" >w1/docs/draft.tmp
mv w1/docs/draft.tmp w1/docs/final.txt
ok "a file renamed: found under its new name within 2 s" wait_until 2 has_finding "$W1/docs/final.txt"
ok "a clean file is recorded clean" wait_until 2 outcome_is "$W1/docs/renamed.txt" clean

mkdir -p elsewhere/movein/deep
printf '%s\n' "$CCCD" >elsewhere/movein/deep/m.txt
mv elsewhere/movein w1/
ok "a folder tree moved in: its file found within 2 s" wait_until 2 has_finding "$W1/movein/deep/m.txt"
mv w1/docs w1/papers
ok "a folder renamed: its file found under the new path within 2 s" wait_until 2 has_finding "$W1/papers/final.txt"
printf '%s\n' "$CCCD" >w1/papers/after-rename.txt
ok "... and the renamed folder is still watched" wait_until 2 has_finding "$W1/papers/after-rename.txt"
cp "$PIIGUARD_SRC/tests/fuzz/corpus/extract/docx.docx" w1/form.docx
ok "a .docx (in the sandboxed worker): found within 2 s" wait_until 2 has_finding "$W1/form.docx"
is "$("$PIIGUARD" findings list -c "$TD/empty.conf" --format jsonl --store "$STORE" --path "$W1/form.docx" | jl member | sort -u)" \
	"word/document.xml" "the .docx finding names its member"
cp "$PIIGUARD_SRC/tests/data/cards/front.png" w1/cccd-front.png
ok "an ID card photo (QR and OCR in the sandboxed worker): found within 2 s" \
	wait_until 2 has_finding "$W1/cccd-front.png" idcard.image
card_rules() {
	"$PIIGUARD" findings list -c "$TD/empty.conf" --format jsonl --store "$STORE" --path "$W1/cccd-front.png" |
		jl rule source | sort -u | tr '\n' ' '
}
wait_until 5 has_finding "$W1/cccd-front.png" vn.cccd
like "$(card_rules)" "idcard\.image	(ocr|qr) .*vn\.cccd	qr" "the card's number comes from its QR code, and the image is an ID card"
cp "$PIIGUARD_SRC/tests/fuzz/corpus/pdf/one-page.pdf" w1/page.pdf
ok "a PDF (poppler in the sandbox) is scanned to an outcome" wait_until 2 scanned_ok "$W1/page.pdf"

# A root that does not exist yet: its nearest parent is watched.
mkdir -p later/sub/inner
printf '%s\n' "$CCCD" >later/sub/inner/first.txt
ok "a root created after the start: its first file found" wait_until 3 has_finding "$TD/later/sub/inner/first.txt"
printf '%s\n' "$CCCD" >later/sub/second.txt
ok "... and the root is watched from then on" wait_until 2 has_finding "$TD/later/sub/second.txt"

run "$PIIGUARD" status
is "$RC" 0 "status: exit 0"
like "$OUT" "state: (idle|scanning|rescanning)" "status: the state"
contains "$OUT" "root: $W1 (watched)" "status: each root and its state"
contains "$OUT" "root: $TD/later/sub (watched)" "status: the late root is watched"
like "$OUT" "files scanned: [1-9]" "status: files scanned"
like "$OUT" "queue: [0-9]+ new, [0-9]+ backlog" "status: the queue"
like "$OUT" "last scan: 20[0-9-]+T" "status: the time of the last scan"

run timeout 5 "$PIIGUARD" watch --root w1 --store "$TD/other.db" --key-file "$KEY"
is "$RC" 2 "a second agent on the same control socket: exit 2"
contains "$ERR" "another piiguard agent is running" "... saying why"
ok "the agent is still running" kill -0 "$AGENT_PID"
unlike "$(cat "$TD/agent.log")" "052090001234" "the agent's log never holds the identifier"
agent_stop
run "$PIIGUARD" status
is "$RC" 2 "status with no agent: exit 2"
contains "$ERR" "not running" "status with no agent: says so"
done_testing
