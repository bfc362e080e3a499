#!/usr/bin/env bash
# Throughput of `sumi scan` against ripgrep with 15 PII regexes, and peak RSS on one big log.
#
#   benches/run.sh          # compare: hyperfine, sumi vs rg, -j1 and -j2, on the 100 MB corpus
#   benches/run.sh rss      # peak RSS and wall time of `sumi scan -j2` on one 2 GB log file
#   benches/run.sh formats  # files/s and MB/s per document format (docx, xlsx, pptx, pdf, eml, zip,
#                           # html, json): samples/formats copied SUMI_BENCH_COPIES times (default 20)
#
# Environment (all optional):
#   SUMI_BIN                 binary to test (default ${CARGO_TARGET_DIR:-target}/release/sumi, built here)
#   SUMI_BENCH_NO_BUILD=1    skip `cargo build --release`
#   SUMI_BENCH_CORPUS        corpus directory (default target/bench-corpus)
#   SUMI_BENCH_MB            corpus size in MB when it is generated (default 100)
#   SUMI_BENCH_RUNS          hyperfine runs per command (default 5)
#   SUMI_BENCH_BIGLOG_DIR    directory of the big log (default target/bench-biglog)
#   SUMI_BENCH_BIGLOG_GB     big log size in GB when it is generated (default 2)
#   RG                       ripgrep binary (default rg)
#   SUMI_BENCH_RG_COUNT      rg counting flag: -c (default; matching lines, stops at the first hit
#                            per line) or --count-matches (every match, closer to sumi's work)
# A corpus or log that already exists is reused as is; delete it to regenerate.
# See benches/README.md for what is compared and how to read the ratio.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MODE="${1:-compare}"
SUMI="${SUMI_BIN:-${CARGO_TARGET_DIR:-target}/release/sumi}"
CORPUS="${SUMI_BENCH_CORPUS:-target/bench-corpus}"
CORPUS_MB="${SUMI_BENCH_MB:-100}"
RUNS="${SUMI_BENCH_RUNS:-5}"
BIGLOG_DIR="${SUMI_BENCH_BIGLOG_DIR:-target/bench-biglog}"
BIGLOG_GB="${SUMI_BENCH_BIGLOG_GB:-2}"
RG="${RG:-rg}"
RG_COUNT="${SUMI_BENCH_RG_COUNT:--c}"
REGEXES="benches/pii_regexes.txt"
RESULT="target/bench-result.json"

die() { echo "run.sh: $*" >&2; exit 2; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found. $2"; }

case "$MODE" in
  compare|rss|formats) ;;
  -h|--help|help) sed -n '2,20p' "$0"; exit 0 ;;
  *) die "unknown mode '$MODE' (use: compare | rss | formats)" ;;
esac

need python3 "Python 3.11+ is needed to generate the corpus."
mkdir -p target

build() {
  if [[ "${SUMI_BENCH_NO_BUILD:-0}" != 1 && -z "${SUMI_BIN:-}" ]]; then
    need cargo "Install Rust (https://rustup.rs) or set SUMI_BIN to a prebuilt binary."
    echo "==> cargo build --release" >&2
    cargo build --release
  fi
  [[ -x "$SUMI" ]] || die "sumi binary '$SUMI' not found or not executable."
}

# Run sumi once on a small input; exit code 0 (nothing found) or 1 (findings) is fine.
preflight_sumi() {
  local input="$1" rc=0
  "$SUMI" scan -j1 --format jsonl "$input" > target/bench-preflight.jsonl || rc=$?
  [[ $rc -le 1 ]] || die "'$SUMI scan -j1 --format jsonl $input' exited with $rc (expected 0 or 1)."
  echo "    preflight: sumi wrote $(wc -l < target/bench-preflight.jsonl) JSONL lines for $input (exit $rc)" >&2
}

if [[ "$MODE" == formats ]]; then
  need hyperfine "apt-get install -y hyperfine"
  build
  COPIES="${SUMI_BENCH_COPIES:-20}"
  FDIR="target/bench-formats"
  if [[ ! -d "$FDIR" ]]; then
    echo "==> copying samples/formats $COPIES times into $FDIR" >&2
    for i in $(seq 1 "$COPIES"); do mkdir -p "$FDIR/copy$i" && cp -r samples/formats/. "$FDIR/copy$i/"; done
  fi
  cmds=()
  exts=(docx xlsx pptx pdf eml zip html json)
  for e in "${exts[@]}"; do
    cmds+=("$SUMI scan -j1 --format jsonl --include '*.$e' $FDIR")
  done
  cmds+=("$SUMI scan -j1 --format jsonl $FDIR" "$SUMI scan -j2 --format jsonl $FDIR")
  hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json target/bench-formats.json "${cmds[@]}" >&2
  python3 - "$FDIR" target/bench-formats.json <<'PY'
import json, os, sys
root, result = sys.argv[1], sys.argv[2]
sizes = {}
for d, _, files in os.walk(root):
    for f in files:
        ext = f.rsplit(".", 1)[-1].lower()
        n, b = sizes.get(ext, (0, 0))
        sizes[ext] = (n + 1, b + os.path.getsize(os.path.join(d, f)))
total = (sum(n for n, _ in sizes.values()), sum(b for _, b in sizes.values()))
print(f"\n{'input':<22} {'files':>6} {'MB':>7} {'mean s':>8} {'files/s':>9} {'MB/s':>7}")
for r in json.load(open(result))["results"]:
    cmd = r["command"]
    if "--include" in cmd:
        ext = cmd.split("'*.")[1].split("'")[0]
        n, b = sizes.get(ext, (0, 0))
        name = f"{ext} (-j1)"
    else:
        n, b = total
        name = "all formats (-j" + cmd.split("-j")[1][0] + ")"
    t = r["mean"]
    print(f"{name:<22} {n:>6} {b / 1e6:>7.2f} {t:>8.3f} {n / t:>9.0f} {b / 1e6 / t:>7.1f}")
PY
  exit 0
fi

if [[ "$MODE" == compare ]]; then
  need hyperfine "Install it: apt-get install -y hyperfine (or cargo install hyperfine)."
  need "$RG" "Install ripgrep: apt-get install -y ripgrep."
  build

  if [[ ! -d "$CORPUS" ]]; then
    echo "==> generating ${CORPUS_MB} MB corpus in $CORPUS" >&2
    python3 benches/gen_corpus.py "$CORPUS" --mb "$CORPUS_MB"
  fi
  first="$(find "$CORPUS" -type f -name '*.txt' | sort | head -n 1)"
  [[ -n "$first" ]] || die "no files in $CORPUS"

  # ripgrep must accept every regex (exit 0 = match, 1 = no match, 2 = error).
  rc=0; "$RG" -c -f "$REGEXES" "$first" > /dev/null || rc=$?
  [[ $rc -le 1 ]] || die "ripgrep rejected $REGEXES (exit $rc)."
  preflight_sumi "$first"

  # A second reference: the same 15 regexes plus the 10,913 surnames of patterns/names as fixed
  # alternatives, i.e. what ripgrep costs once it is given the name dictionary sumi's name pass
  # reads (sumi also reads given names, labels and municipalities).
  RE_NAMES="target/bench-rg-names.txt"
  # The scan-core categories (numbers and formats): `--categories` leaves the name, address and
  # employer/title passes out, so this is sumi with names off.
  NUMBER_CATEGORIES="credit_card,phone,fax,email,ip_address,postal_code,date_of_birth,age,gender,my_number,drivers_license,passport,residence_card,health_insurance,pension_number,bank_account,us_ssn,account_id,credential"
  { cat "$REGEXES"; cut -f1 patterns/names/surnames.tsv | grep -v '^#' | sed 's/[][\\.^$*+?(){}|]/\\&/g'; } > "$RE_NAMES"
  q_sumi="$(printf '%q' "$SUMI")"; q_rg="$(printf '%q' "$RG")"
  q_corpus="$(printf '%q' "$CORPUS")"; q_re="$(printf '%q' "$REGEXES")"; q_rn="$(printf '%q' "$RE_NAMES")"
  echo "==> hyperfine: sumi vs rg, -j1 and -j2, on $CORPUS ($("$RG" --version | head -n 1))" >&2
  # One hyperfine call so all four commands share the machine state.
  # -i: sumi exits 1 when it finds something.
  hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$RESULT" \
    -n "sumi -j1" "$q_sumi scan -j1 --format jsonl $q_corpus > /dev/null" \
    -n "rg -j1"   "$q_rg -j1 $RG_COUNT -f $q_re $q_corpus > /dev/null" \
    -n "sumi -j2" "$q_sumi scan -j2 --format jsonl $q_corpus > /dev/null" \
    -n "rg -j2"   "$q_rg -j2 $RG_COUNT -f $q_re $q_corpus > /dev/null" \
    -n "rg+names -j1" "$q_rg -j1 $RG_COUNT -f $q_rn $q_corpus > /dev/null" \
    -n "sumi-num -j1" "$q_sumi scan -j1 --format jsonl --categories $NUMBER_CATEGORIES $q_corpus > /dev/null"

  python3 - "$RESULT" "$CORPUS" <<'PY'
import json, os, sys

results = json.load(open(sys.argv[1]))["results"]
nbytes = sum(os.path.getsize(os.path.join(d, f))
             for d, _, files in os.walk(sys.argv[2]) for f in files)
mb = nbytes / 1e6
by = {r["command"]: r for r in results}
print()
print(f"corpus: {sys.argv[2]}, {nbytes:,} bytes ({mb:.1f} MB, 1 MB = 10^6 bytes)")
print(f"{'command':<14}{'mean s':>9}{'± s':>8}{'min s':>9}{'MB/s mean':>11}{'MB/s best':>11}{'MB/CPU-s':>10}{'exit':>7}")
for r in results:
    cpu = r["user"] + r["system"]
    codes = sorted(set(r.get("exit_codes") or []))
    print(f"{r['command']:<14}{r['mean']:>9.3f}{(r['stddev'] or 0.0):>8.3f}{r['min']:>9.3f}"
          f"{mb / r['mean']:>11.1f}{mb / r['min']:>11.1f}{(mb / cpu if cpu else float('nan')):>10.1f}"
          f"{','.join(map(str, codes)):>7}")
print()
print("throughput ratio sumi/rg = rg_time / sumi_time  (1.0 = as fast as rg; 0.25 = 4x slower)")
for j in (1, 2):
    s, g = by.get(f"sumi -j{j}"), by.get(f"rg -j{j}")
    if not (s and g):
        continue
    cpu_s, cpu_g = s["user"] + s["system"], g["user"] + g["system"]
    cpu_ratio = cpu_g / cpu_s if cpu_s else float("nan")
    print(f"  -j{j}: {g['mean'] / s['mean']:.2f} (mean)   {g['min'] / s['min']:.2f} (best)   "
          f"{cpu_ratio:.2f} (per CPU-second)")
s, g = by.get("sumi -j1"), by.get("rg+names -j1")
if s and g:
    print(f"  -j1 against rg with the surname dictionary added (rg+names): {g['mean'] / s['mean']:.2f} (mean)")
s, g = by.get("sumi-num -j1"), by.get("rg -j1")
if s and g:
    print(f"  -j1 with names off (--categories of the 19 number/format categories): {g['mean'] / s['mean']:.2f} (mean)")
for name in ("sumi", "rg"):
    a, b = by.get(f"{name} -j1"), by.get(f"{name} -j2")
    if a and b:
        print(f"  {name} -j2 speed-up over -j1: {a['mean'] / b['mean']:.2f}x (mean)")
codes = set(c for r in results if r["command"].startswith("sumi") for c in (r.get("exit_codes") or []))
if codes - {0, 1}:
    print(f"WARNING: sumi exited with {sorted(codes)}; exit codes other than 0/1 mean the timing is not valid")
PY
  echo "(raw results: $RESULT)"
  exit 0
fi

# ---- rss mode --------------------------------------------------------------
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found. Install it: apt-get install -y time."
build
BIG="$BIGLOG_DIR/access.log"
if [[ ! -f "$BIG" ]]; then
  echo "==> generating ${BIGLOG_GB} GB log $BIG" >&2
  python3 benches/gen_corpus.py "$BIGLOG_DIR" --big-log "$BIGLOG_GB"
fi
cat "$BIG" > /dev/null   # warm the page cache, as in compare mode
head -c 1000000 "$BIG" > target/bench-preflight.log
preflight_sumi target/bench-preflight.log

timing="$(mktemp)"
trap 'rm -f "$timing"' EXIT
echo "==> /usr/bin/time -v $SUMI scan -j2 --format jsonl $BIG > /dev/null" >&2
rc=0
/usr/bin/time -v -o "$timing" "$SUMI" scan -j2 --format jsonl "$BIG" > /dev/null || rc=$?
sumi_rc=$rc
cp "$timing" target/bench-rss-sumi.txt

rg_note=""
if command -v "$RG" >/dev/null 2>&1; then
  # RSS reference only (every log line has a hit, so `rg -c` skips most bytes: its time is not a
  # throughput reference). --no-mmap: with a memory map, rg's RSS would count the mapped file pages.
  rc=0
  /usr/bin/time -v -o "$timing" "$RG" -j2 --no-mmap -c -f "$REGEXES" "$BIG" > /dev/null || rc=$?
  cp "$timing" target/bench-rss-rg.txt
  rg_note="target/bench-rss-rg.txt"
fi

python3 - "$BIG" "$sumi_rc" target/bench-rss-sumi.txt "$rg_note" <<'PY'
import os, sys

big, rc, sumi_file, rg_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
size = os.path.getsize(big)

def parse(path):
    out = {}
    for line in open(path):
        k, _, v = line.strip().rpartition(": ")
        out[k] = v
    wall = 0.0
    for part in out["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return wall, int(out["Maximum resident set size (kbytes)"]), float(out["User time (seconds)"]) + float(out["System time (seconds)"]), out.get("Percent of CPU this job got", "?")

print()
print(f"log: {big}, {size:,} bytes ({size / 1e6:.0f} MB)")
rows = [("sumi -j2", sumi_file)] + ([("rg -j2 --no-mmap -c (RSS ref.)", rg_file)] if rg_file else [])
for name, path in rows:
    wall, rss_kb, cpu, pct = parse(path)
    print(f"{name:<30} wall {wall:7.2f} s  {size / 1e6 / wall:7.1f} MB/s  CPU {cpu:6.2f} s ({pct})  "
          f"Maximum resident set size {rss_kb:,} kB ({rss_kb / 1024:.1f} MiB)")
print(f"sumi exit code: {rc}" + ("" if rc <= 1 else "  WARNING: not 0/1, the run failed"))
PY
