#!/usr/bin/env python3
"""Builds the name dictionaries in patterns/names/ from their upstream packages.

Offline at build time: sumi embeds the generated files; this script is only rerun to refresh
them. It needs the three upstream packages unpacked in one directory (SRC, default /tmp/nm):

    pip download --no-deps japanese-personal-name-dataset==0.4.0 names==0.3.0
    apt-get download mecab-ipadic            # 2.7.0-20070801
    unzip japanese_personal_name_dataset-0.4.0-py3-none-any.whl -d jp
    tar xzf names-0.3.0.tar.gz -C en
    dpkg-deb -x mecab-ipadic_*.deb ipa

    python3 patterns/names/build.py [SRC]

Outputs (UTF-8, one entry a line, sorted):
  surnames.tsv     kanji surname <TAB> katakana readings (comma-separated)
  given.txt        kanji given names
  given_kana.txt   given names written in kana (hiragana), from the readings
  romaji_surnames.txt / romaji_given.txt   Hepburn spellings (lower case; long vowels both
                   as `ou`/`uu` and collapsed `o`/`u`)
  en_first.txt / en_last.txt   1990 US Census first and last names (lower case, frequent ones)
  deny.txt         negative lexicon: place names, organisations and common nouns from IPADIC
                   that would otherwise parse as surname + given name (or are a surname alone)
"""
import csv
import glob
import os
import sys
from collections import defaultdict

SRC = sys.argv[1] if len(sys.argv) > 1 else "/tmp/nm"
OUT = os.path.dirname(os.path.abspath(__file__))
IPA = os.path.join(SRC, "ipa/usr/share/mecab/dic/ipadic")
JP = os.path.join(SRC, "jp/japanese_personal_name_dataset/dataset")
EN = os.path.join(SRC, "en/names-0.3.0/names")


def is_kanji(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or c in "々ヶ〆"


def all_kanji(s):
    return s != "" and all(is_kanji(c) for c in s)


def hira_to_kata(s):
    return "".join(chr(ord(c) + 0x60) if 0x3041 <= ord(c) <= 0x3096 else c for c in s)


def kata_to_hira(s):
    return "".join(chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in s)


def ipadic(name):
    with open(os.path.join(IPA, name), encoding="euc_jp", errors="replace") as f:
        yield from csv.reader(f)


surnames = defaultdict(set)
given = defaultdict(set)
for row in ipadic("Noun.name.csv"):
    surface, kind, reading = row[0], row[7], row[11]
    if not all_kanji(surface) or len(surface) > 4:
        continue
    if kind == "姓":
        surnames[surface].add(reading)
    elif kind == "名":
        given[surface].add(reading)

romaji_sur, romaji_given, given_kana = set(), set(), set()
with open(os.path.join(JP, "last_name_org.csv"), encoding="utf-8") as f:
    for row in csv.reader(f):
        surface, reading, romaji = row[0], row[2], row[3]
        if all_kanji(surface) and len(surface) <= 4:
            surnames[surface].add(hira_to_kata(reading))
        romaji_sur.add(romaji.lower())
for path in sorted(glob.glob(os.path.join(JP, "first_name_*.csv"))):
    opti = path.endswith("_opti.csv")
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f):
            reading, romaji, kanji = row[0], row[1], row[2:]
            romaji_given.add(romaji.lower())
            if 2 <= len(reading) <= 4:
                given_kana.add(reading)
            if opti:
                for k in kanji:
                    if all_kanji(k) and len(k) <= 3:
                        given[k].add(hira_to_kata(reading))
# Readings of IPADIC given names, as kana given names too (さくら, ゆい).
for k, rs in given.items():
    for r in rs:
        h = kata_to_hira(r)
        if 2 <= len(h) <= 4:
            given_kana.add(h)


def hepburn_variants(words):
    out = set()
    for w in words:
        if not w.isascii() or not w.isalpha() or len(w) < 3:
            continue
        out.add(w)
        out.add(w.replace("ou", "o").replace("uu", "u").replace("oo", "o"))
    return out


romaji_sur = hepburn_variants(romaji_sur)
romaji_given = hepburn_variants(romaji_given)


def census(name, max_rank):
    out = set()
    with open(os.path.join(EN, name), encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) <= max_rank and len(parts[0]) >= 2:
                out.add(parts[0].lower())
    return out


# The tails of the census lists are rare names that are mostly ordinary words (my, numbers).
en_first = census("dist.male.first", 700) | census("dist.female.first", 1500)
en_last = census("dist.all.last", 12000)

# Negative lexicon: IPADIC place names (地域), organisations (組織) and common nouns that a
# kanji-run parser would read as surname + given name (中野区 is not one, 中野本 is). A surname
# alone is never reported without an honorific, title or label, so surnames are not listed.
def parses_as_name(w):
    if w in surnames:
        return True
    for i in range(1, min(4, len(w))):
        if w[:i] in surnames and w[i:] in given:
            return True
    return False


deny = set()
for fname in ["Noun.place.csv", "Noun.org.csv", "Noun.csv", "Noun.adverbal.csv", "Noun.verbal.csv",
              "Noun.adjv.csv", "Noun.proper.csv", "Noun.nai.csv"]:
    for row in ipadic(fname):
        w = row[0]
        if not all_kanji(w) or len(w) < 2 or len(w) > 6:
            continue
        if w not in surnames and parses_as_name(w):
            deny.add(w)


def write(name, lines):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        for line in sorted(lines):
            f.write(line + "\n")
    print(f"{name}: {len(lines)}")


write("surnames.tsv", [f"{k}\t{','.join(sorted(v))}" for k, v in surnames.items()])
write("given.txt", list(given))
write("given_kana.txt", given_kana)
write("romaji_surnames.txt", romaji_sur)
write("romaji_given.txt", romaji_given)
write("en_first.txt", en_first)
write("en_last.txt", en_last)
write("deny.txt", deny)
