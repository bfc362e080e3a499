#!/usr/bin/env python3
"""Run Microsoft Presidio with the GiNZA Japanese model over the text files of samples/ and
write its findings as JSON Lines that `sumi eval --findings` scores with sumi's own matcher.

This is what a user would try instead of sumi: presidio-analyzer with a spaCy NLP engine on
`ja_ginza` (both from PyPI, run offline), GiNZA's named entities mapped to Presidio entities,
and Presidio's pattern recognizers (e-mail, phone for JP and US, credit card, IP, US SSN,
IBAN) enabled for Japanese. Presidio reads text only, so documents in other formats
(samples/formats) are skipped; the file is decoded with the encoding it was written in (BOM,
UTF-8, ISO-2022-JP, CP932, EUC-JP, UTF-16), which is more than Presidio does by itself.

Mapping from Presidio entities to sumi categories:
  PERSON → person_name, LOCATION → address, ORGANIZATION → employer, TITLE → job_title,
  AGE → age, EMAIL_ADDRESS → email, PHONE_NUMBER → phone, CREDIT_CARD → credit_card,
  IP_ADDRESS → ip_address, US_SSN → us_ssn, IBAN_CODE → bank_account.
Presidio has no entity for name readings or occupations.

Usage (see benches/presidio/run.sh):
    python presidio_scan.py samples > presidio.jsonl
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UsSsnRecognizer,
)

TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".md", ".log", ".json", ".jsonl", ".yml", ".yaml", ".ini", ".1", ""}

# GiNZA (Extended Named Entity labels) → Presidio entities.
GINZA_TO_PRESIDIO = {
    "Person": "PERSON",
    "Postal_Address": "LOCATION",
    "Province": "LOCATION",
    "City": "LOCATION",
    "County": "LOCATION",
    "GPE_Other": "LOCATION",
    "Location_Other": "LOCATION",
    "Company": "ORGANIZATION",
    "Company_Group": "ORGANIZATION",
    "Corporation_Other": "ORGANIZATION",
    "Organization_Other": "ORGANIZATION",
    "School": "ORGANIZATION",
    "Public_Institution": "ORGANIZATION",
    "Position_Vocation": "TITLE",
    "Age": "AGE",
}

PRESIDIO_TO_SUMI = {
    "PERSON": "person_name",
    "LOCATION": "address",
    "ORGANIZATION": "employer",
    "TITLE": "job_title",
    "AGE": "age",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "credit_card",
    "IP_ADDRESS": "ip_address",
    "US_SSN": "us_ssn",
    "IBAN_CODE": "bank_account",
}


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if data[:200].count(b"\x00") > 20:
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", "replace")
    if b"\x1b$B" in data:
        return data.decode("iso-2022-jp", "replace")
    for enc in ("utf-8", "cp932", "euc-jp"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", "replace")


def analyzer() -> AnalyzerEngine:
    conf = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "ja", "model_name": "ja_ginza"}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": GINZA_TO_PRESIDIO,
            "low_confidence_score_multiplier": 1.0,
            "low_score_entity_names": [],
        },
    }
    nlp = NlpEngineProvider(nlp_configuration=conf).create_engine()
    registry = RecognizerRegistry(supported_languages=["ja"])
    registry.add_recognizer(
        SpacyRecognizer(supported_language="ja", supported_entities=sorted(set(GINZA_TO_PRESIDIO.values())))
    )
    for r in (
        EmailRecognizer(supported_language="ja"),
        PhoneRecognizer(supported_language="ja", supported_regions=("JP", "US")),
        CreditCardRecognizer(supported_language="ja"),
        IpRecognizer(supported_language="ja"),
        UsSsnRecognizer(supported_language="ja"),
        IbanRecognizer(supported_language="ja"),
    ):
        registry.add_recognizer(r)
    return AnalyzerEngine(nlp_engine=nlp, registry=registry, supported_languages=["ja"])


def main() -> None:
    roots = [Path(a) for a in sys.argv[1:]] or [Path("samples")]
    engine = analyzer()
    files = sorted(
        p
        for root in roots
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and "formats" not in p.parts
    )
    start, size, out = time.perf_counter(), 0, sys.stdout
    for path in files:
        data = path.read_bytes()
        size += len(data)
        text = decode(data)
        # spaCy's Japanese tokenizer (SudachiPy) refuses inputs over 49,149 bytes: analyse
        # in pieces of whole lines.
        pieces, cur, base = [], [], 0
        for line in text.splitlines(keepends=True):
            if sum(len(x.encode()) for x in cur) + len(line.encode()) > 40_000 and cur:
                pieces.append((base, "".join(cur)))
                base += len("".join(cur))
                cur = []
            cur.append(line)
        if cur:
            pieces.append((base, "".join(cur)))
        for base, piece in pieces:
            for r in engine.analyze(text=piece, language="ja", score_threshold=0.5):
                cat = PRESIDIO_TO_SUMI.get(r.entity_type)
                if cat:
                    value = piece[r.start : r.end]
                    out.write(json.dumps({"path": path.as_posix(), "category": cat, "value": value}, ensure_ascii=False))
                    out.write("\n")
    secs = time.perf_counter() - start
    print(f"presidio+ginza: {len(files)} files, {size} bytes in {secs:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
