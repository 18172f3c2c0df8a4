"""Generate archive/data/countries.json from CLDR (via Babel) and country_aliases.json.

Developer tool, never imported at runtime. Run it after editing
country_aliases.json and commit the regenerated countries.json:

    .venv/bin/python archive/data/build_countries.py          # write countries.json
    .venv/bin/python archive/data/build_countries.py --check  # exit 1 if it is stale

Output: a JSON list sorted by code of
    {"code", "name_ar", "name_en", "aliases": [...], "weak_aliases": [...]}
for the 193 UN member states plus the two observer states (PS, VA).

- name_ar / name_en come from CLDR (Locale('ar') / Locale('en').territories)
  unless country_aliases.json overrides them (news usage differs from CLDR).
- aliases (strong) = name_ar, the CLDR Arabic name when it is a plain phrase
  (no brackets or dashes), then the curated aliases; duplicates after the
  simple normalization below are dropped, keeping the first spelling.
- weak_aliases = the curated weak list.

The script refuses to write when the data is inconsistent: name_ar listed as
weak, a strong alias shared by two countries, a weak alias that is some
country's strong alias, or a blocker that equals an alias.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
ALIASES_FILE = DATA_DIR / "country_aliases.json"
BLOCKERS_FILE = DATA_DIR / "country_blockers.json"
OUTPUT_FILE = DATA_DIR / "countries.json"

# ISO 3166-1 alpha-2 codes of the 193 UN member states.
UN_MEMBERS = (
    "AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI "
    "CV KH CM CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER "
    "EE SZ ET FJ FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT "
    "JM JP JO KZ KE KI KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM "
    "MD MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA "
    "KR RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH "
    "SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US UY UZ VU VE VN YE ZM ZW"
).split()
# UN General Assembly non-member observer states.
UN_OBSERVERS = ("PS", "VA")

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_PLAIN_ARABIC_PHRASE = re.compile(r"^[\u0621-\u064a\u064b-\u0652\u0670 ]+$")


def simple_normalize(text: str) -> str:
    """The comparison key used for duplicate/collision checks (not the matcher's)."""
    text = _DIACRITICS.sub("", text).translate(_LETTERS)
    return " ".join(text.split())


def _dedupe(forms):
    seen, out = set(), []
    for form in forms:
        form = " ".join(form.split())
        key = simple_normalize(form)
        if form and key not in seen:
            seen.add(key)
            out.append(form)
    return out


def build() -> list[dict]:
    from babel import Locale

    ar_names = Locale("ar").territories
    en_names = Locale("en").territories
    curated = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    codes = sorted(set(UN_MEMBERS) | set(UN_OBSERVERS))
    unknown = sorted(k for k in curated if not k.startswith("_") and k not in codes)
    if unknown:
        raise SystemExit(f"country_aliases.json has unknown codes: {unknown}")

    rows = []
    for code in codes:
        entry = curated.get(code, {})
        cldr_ar = ar_names[code]
        name_ar = entry.get("name_ar") or cldr_ar
        name_en = entry.get("name_en") or en_names[code]
        weak = _dedupe(entry.get("weak_aliases", []))
        weak_keys = {simple_normalize(w) for w in weak}
        # The display name is a strong alias unless it is itself ambiguous
        # (مالي: also "financial"); then only the aliases name the country.
        strong = [] if simple_normalize(name_ar) in weak_keys else [name_ar]
        if _PLAIN_ARABIC_PHRASE.match(cldr_ar) and simple_normalize(cldr_ar) not in weak_keys:
            strong.append(cldr_ar)
        strong.extend(entry.get("aliases", []))
        strong = _dedupe(strong)
        clash = [a for a in strong if simple_normalize(a) in weak_keys]
        if clash:
            raise SystemExit(f"{code}: forms both strong and weak: {clash}")
        rows.append({"code": code, "name_ar": name_ar, "name_en": name_en, "aliases": strong, "weak_aliases": weak})
    check(rows)
    return rows


def check(rows: list[dict]) -> None:
    strong_owner: dict[str, str] = {}
    problems = []
    for row in rows:
        for alias in row["aliases"]:
            key = simple_normalize(alias)
            if key in strong_owner and strong_owner[key] != row["code"]:
                problems.append(f"strong alias {alias!r} in {strong_owner[key]} and {row['code']}")
            strong_owner.setdefault(key, row["code"])
    for row in rows:
        for alias in row["weak_aliases"]:
            owner = strong_owner.get(simple_normalize(alias))
            if owner:
                problems.append(f"weak alias {alias!r} of {row['code']} is a strong alias of {owner}")
    if BLOCKERS_FILE.exists():
        for phrase in json.loads(BLOCKERS_FILE.read_text(encoding="utf-8")):
            if simple_normalize(phrase) in strong_owner:
                problems.append(f"blocker {phrase!r} equals an alias of {strong_owner[simple_normalize(phrase)]}")
    if problems:
        raise SystemExit("inconsistent gazetteer data:\n  " + "\n  ".join(problems))


def render(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify that countries.json is up to date")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUTPUT_FILE.read_text(encoding="utf-8") if OUTPUT_FILE.exists() else ""
        if current != text:
            print("countries.json is stale: run archive/data/build_countries.py", file=sys.stderr)
            return 1
        print("countries.json is up to date")
        return 0
    OUTPUT_FILE.write_text(text, encoding="utf-8")
    rows = json.loads(text)
    print(
        f"wrote {OUTPUT_FILE.name}: {len(rows)} countries, "
        f"{sum(len(r['aliases']) for r in rows)} aliases, {sum(len(r['weak_aliases']) for r in rows)} weak aliases"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
