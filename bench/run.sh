#!/bin/sh
# make bench: throughput of `piiguard scan` on a generated 512 MiB corpus with
# a few hundred identifiers, against ripgrep with the same patterns when rg is
# installed, then peak memory on a 4 GiB file, then the agent's figures
# (bench/agent.sh) and the wipe against rm -rf, shred -u and dd
# (bench/wipe.sh, as root). Prints figures; asserts nothing.
# Usage: bench/run.sh BUILD_DIR
set -eu
build=$1
bin=$build/piiguard
dir=$build/bench
mkdir -p "$dir"
key=$dir/key
[ -f "$key" ] || { head -c 32 /dev/urandom >"$key"; chmod 600 "$key"; }
corpus=$dir/corpus-512.txt
[ -f "$corpus" ] || "$dir/gencorpus" 512 >"$corpus"

now() { date +%s.%N; }
mbps() { echo "$1 $2 $3" | awk '{ printf "%.0f", $1 / 1e6 / ($3 - $2) }'; }
size=$(stat -c %s "$corpus")

echo "== corpus: $corpus ($(echo "$size" | awk '{printf "%.0f", $1/1048576}') MiB)"
cat "$corpus" >/dev/null # warm the page cache so both tools read from memory
t0=$(now)
"$bin" scan --jobs 1 --no-store --key-file "$key" --format jsonl --stats "$corpus" >"$dir/findings.jsonl" 2>"$dir/stats.txt" || true
t1=$(now)
echo "piiguard scan: $(wc -l <"$dir/findings.jsonl") findings, $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s, $(mbps "$size" "$t0" "$t1") MB/s"
sed 's/^/  /' "$dir/stats.txt"

if command -v rg >/dev/null 2>&1; then
	# The rules' own patterns (continuation lines joined), for rg's PCRE2 engine.
	awk '/^pattern = /{ if (p != "") print p; p = substr($0, 11); next }
	     /^[ \t]/ && p != "" { sub(/^[ \t]+/, ""); p = p $0; next }
	     { if (p != "") print p; p = "" }
	     END { if (p != "") print p }' rules/*.rules >"$dir/patterns.pcre2"
	t0=$(now)
	rg -P -c -f "$dir/patterns.pcre2" "$corpus" >"$dir/rg-pcre2.txt" || true
	t1=$(now)
	echo "rg -P (the $(wc -l <"$dir/patterns.pcre2") rule patterns): $(cat "$dir/rg-pcre2.txt") matching lines, $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s, $(mbps "$size" "$t0" "$t1") MB/s"
	# The same shapes for rg's default engine (no look-around there: \b instead).
	cat >"$dir/patterns.rust" <<'PAT'
\b[0-9]{9,19}\b
\b[0-9]{3}[ .-][0-9]{3}[ .-][0-9]{3}[ .-][0-9]{3}\b
\b[0-9]{17}[0-9Xx]\b
\b[A-Z][0-9]{7}\b
\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b
[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}
[A-Z0-9<]{30}
PAT
	t0=$(now)
	rg -c -f "$dir/patterns.rust" "$corpus" >"$dir/rg-rust.txt" || true
	t1=$(now)
	echo "rg (7 ID-shaped patterns, default engine): $(cat "$dir/rg-rust.txt") matching lines, $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s, $(mbps "$size" "$t0" "$t1") MB/s"
else
	echo "rg is not installed: no comparison (apt-get install ripgrep)"
fi

echo "== rescan of 100,000 unchanged files (store, --skip-unchanged)"
tree=$dir/tree
rm -rf "$tree" "$dir/store"
: >"$dir/empty.conf"
"$dir/gencorpus" --tree "$tree" 100000
"$bin" scan --store "$dir/store/findings.db" --key-file "$key" -c "$dir/empty.conf" --format jsonl --stats "$tree" \
	>/dev/null 2>"$dir/stats-tree.txt" || true
sed 's/^/  first scan: /' "$dir/stats-tree.txt"
sync
"$bin" scan --store "$dir/store/findings.db" --key-file "$key" -c "$dir/empty.conf" --format jsonl --stats --skip-unchanged \
	"$tree" >/dev/null 2>"$dir/stats-rescan.txt" || true
sed 's/^/  rescan: /' "$dir/stats-rescan.txt"
rm -rf "$tree" "$dir/store"
: >"$dir/empty.conf"

echo "== documents per second (500 .docx, 500 .pdf, one thread)"
docs=$dir/docs
rm -rf "$docs" && mkdir -p "$docs/docx/word" "$docs/in-docx" "$docs/in-pdf"
printf '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>' \
	>"$docs/docx/[Content_Types].xml"
{
	printf '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
	i=0
	while [ $i -lt 200 ]; do
		printf '<w:p><w:r><w:t>Tờ khai thông tin cư trú, dòng %d. Họ và tên: Nguyễn Văn An.</w:t></w:r></w:p>' $i
		i=$((i + 1))
	done
	printf '<w:p><w:r><w:t>Số CCCD: 052090001234</w:t></w:r></w:p></w:body></w:document>'
} >"$docs/docx/word/document.xml"
(cd "$docs/docx" && zip -q -X -r ../form.docx '[Content_Types].xml' word)
i=0
while [ $i -lt 500 ]; do
	cp "$docs/form.docx" "$docs/in-docx/f$i.docx"
	cp tests/fuzz/corpus/pdf/one-page.pdf "$docs/in-pdf/f$i.pdf"
	i=$((i + 1))
done
for kind in docx pdf; do
	"$bin" scan --jobs 1 --no-store --key-file "$key" -c "$dir/empty.conf" --format jsonl --stats "$docs/in-$kind" \
		>/dev/null 2>"$dir/stats-$kind.txt" || true
	sed "s/^/  $kind: /" "$dir/stats-$kind.txt"
done
rm -rf "$docs"

sh bench/cards.sh "$build"

echo "== memory on a 4 GiB file"
big=$dir/corpus-4096.txt
"$dir/gencorpus" 4096 >"$big"
"$bin" scan --jobs 1 --no-store --key-file "$key" --format jsonl --stats "$big" >/dev/null 2>"$dir/stats-big.txt" || true
sed 's/^/  /' "$dir/stats-big.txt"
rm -f "$big"

sh bench/agent.sh "$build"
echo
sh bench/wipe.sh "$build"
