#!/usr/bin/env bash
# Side by side on the same files: Presidio with GiNZA (what a user would try instead) and
# sumi, both scored by `sumi eval` with the same truth and the same matcher.
#
# Presidio reads text only, so both tools are scored on the text corpora of samples/ (every
# folder except samples/formats). Needs a virtualenv with presidio-analyzer and ja-ginza:
#     python3 -m venv /tmp/presidio && /tmp/presidio/bin/pip install presidio-analyzer ja-ginza
#     PRESIDIO_PY=/tmp/presidio/bin/python benches/presidio/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
py=${PRESIDIO_PY:-python3}
cargo build --release --quiet
dirs=()
for d in samples/*/; do
    d=${d%/}
    [ "$d" = samples/formats ] && continue
    dirs+=(--samples "$d")
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# tldextract (used by Presidio's e-mail recognizer) tries to fetch the public suffix list and
# falls back to its bundled copy when offline; its warning is noise here.
"$py" benches/presidio/presidio_scan.py samples >"$out" 2> >(grep -v -E "tldextract|Traceback|^\s|requests|urllib3|socket|ConnectionError|NameResolution|Errno" >&2)
echo "== Presidio + GiNZA (ja_ginza) =="
target/release/sumi eval "${dirs[@]}" --findings "$out" | sed 1,2d
echo
echo "== sumi =="
/usr/bin/time -f "sumi eval: %e s" target/release/sumi eval "${dirs[@]}" | sed 1,2d
