"""Rebuild iso_numeric.json: ISO 3166-1 numeric -> alpha-2 for the shapes in
countries-110m.json, from Debian's iso-codes (``apt-get install iso-codes``).

    python3 search/data/world/build_iso_numeric.py [/usr/share/iso-codes/json/iso_3166-1.json]

Three shapes of Natural Earth carry no ISO code; they are drawn as part of the
ISO country that holds them de jure (N. Cyprus -> CY, Somaliland -> SO) or
under the user-assigned code XK (Kosovo), listed by name in ``_BY_NAME``.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_BY_NAME = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "XK"}


def main(source="/usr/share/iso-codes/json/iso_3166-1.json"):
    iso = {c["numeric"]: c["alpha_2"] for c in json.loads(Path(source).read_text())["3166-1"]}
    atlas = json.loads((HERE / "countries-110m.json").read_text())
    numeric, names = {}, {}
    for shape in atlas["objects"]["countries"]["geometries"]:
        if "id" in shape:
            numeric[shape["id"]] = iso[shape["id"]]
        else:
            names[shape["properties"]["name"]] = _BY_NAME[shape["properties"]["name"]]
    out = {
        "source": "Debian iso-codes 4.15.0 (iso_3166-1.json); unnamed Natural Earth shapes by name",
        "numeric": dict(sorted(numeric.items())),
        "by_name": names,
    }
    (HERE / "iso_numeric.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
