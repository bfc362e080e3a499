#!/usr/bin/env bash
# Cost of media detection: `sumi scan` over a folder of photos against reading the same files
# with `cat`, in the same run (hyperfine, warm page cache).
#
#   benches/media.sh            # 1,000 images: 900 camera JPEGs with EXIF (some with GPS) and
#                               # 100 EXIF-less square images (seal candidates: pixels decoded)
#
# Environment (all optional):
#   SUMI_BIN                 binary to test (default ${CARGO_TARGET_DIR:-target}/release/sumi)
#   SUMI_BENCH_NO_BUILD=1    skip `cargo build --release`
#   SUMI_BENCH_MEDIA_DIR     image folder (default target/bench-media; reused when it exists)
#   SUMI_BENCH_MEDIA_COUNT   images generated (default 1000)
#   SUMI_BENCH_RUNS          hyperfine runs per command (default 5)
#   SUMI_BENCH_THREADS       sumi -j (default 2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SUMI="${SUMI_BIN:-${CARGO_TARGET_DIR:-target}/release/sumi}"
DIR="${SUMI_BENCH_MEDIA_DIR:-target/bench-media}"
COUNT="${SUMI_BENCH_MEDIA_COUNT:-1000}"
RUNS="${SUMI_BENCH_RUNS:-5}"
THREADS="${SUMI_BENCH_THREADS:-2}"

command -v hyperfine >/dev/null || { echo "media.sh: hyperfine not found" >&2; exit 2; }
if [[ "${SUMI_BENCH_NO_BUILD:-0}" != 1 && -z "${SUMI_BIN:-}" ]]; then
  cargo build --release
fi

if [[ ! -d "$DIR" ]]; then
  echo "==> generating $COUNT images in $DIR" >&2
  python3 - "$DIR" "$COUNT" <<'EOF'
import io, os, random, sys
from PIL import Image, ImageFilter

out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = random.Random(1000)
bases = []
for i in range(16):
    # Photo-like: a smooth gradient with noise, 1600×1200.
    img = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    noise = Image.effect_noise((1600, 1200), 40 + i).convert("RGB")
    bases.append(Image.blend(img, noise, 0.35).filter(ImageFilter.GaussianBlur(1)))
squares = [b.resize((400, 400)) for b in bases[:4]]
for n in range(count):
    if n % 10 == 9:
        squares[n % 4].save(os.path.join(out, "img_%05d.png" % n) if n % 20 == 19 else os.path.join(out, "img_%05d.jpg" % n), quality=85)
        continue
    e = Image.Exif()
    e[0x010F] = "Canon"
    e[0x0110] = "Canon EOS R6"
    ifd = e.get_ifd(0x8769)
    ifd[0x829D] = 2.8
    ifd[0x829A] = 1 / 250
    if n % 3 == 0:
        g = e.get_ifd(0x8825)
        g[1], g[2] = "N", (35.0, float(rng.randint(0, 59)), float(rng.randint(0, 59)))
        g[3], g[4] = "E", (139.0, float(rng.randint(0, 59)), float(rng.randint(0, 59)))
    bases[n % 16].save(os.path.join(out, "IMG_%05d.jpg" % n), quality=85, exif=e)
EOF
fi

files=$(find "$DIR" -type f | wc -l)
bytes=$(du -sb "$DIR" | cut -f1)
echo "==> $files images, $((bytes / 1000000)) MB" >&2
"$SUMI" scan -j "$THREADS" "$DIR" --format jsonl >/dev/null || true   # warm the cache
hyperfine --warmup 1 --runs "$RUNS" -i \
  -n "sumi scan -j$THREADS" "$SUMI scan -j $THREADS $DIR --format jsonl > /dev/null" \
  -n "cat (read every byte)" "find $DIR -type f -exec cat {} + > /dev/null" \
  --export-json target/bench-media.json
python3 - "$files" <<'EOF'
import json, sys
files = int(sys.argv[1])
r = {x["command"]: x["mean"] for x in json.load(open("target/bench-media.json"))["results"]}
for k, v in r.items():
    print("%-26s %8.3f s total, %8.1f ms per 1,000 images" % (k, v, v / files * 1000 * 1000))
EOF
