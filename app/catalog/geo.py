"""Where a postcode is, and how far apart two places are: bundled PC4 centroids, no map service."""

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PC4_FILE = Path(__file__).resolve().parent / "data" / "pc4.csv"
POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")
KM_PER_DEGREE_LAT = 110.57

# CBS codes (indeling 2026) of the demo regions: Fryslân (DOMAIN.md §6.3) and West-Brabant West (§8.1).
MUNICIPALITY_NAMES = {
    "0059": "Achtkarspelen", "0060": "Ameland", "1891": "Dantumadiel", "1940": "De Fryske Marren",
    "0072": "Harlingen", "0074": "Heerenveen", "0080": "Leeuwarden", "1970": "Noardeast-Fryslân",
    "0085": "Ooststellingwerf", "0086": "Opsterland", "0088": "Schiermonnikoog", "0090": "Smallingerland",
    "1900": "Súdwest-Fryslân", "0093": "Terschelling", "0737": "Tytsjerksteradiel", "0096": "Vlieland",
    "1949": "Waadhoeke", "0098": "Weststellingwerf",
    "0748": "Bergen op Zoom", "0777": "Etten-Leur", "1655": "Halderberge", "1709": "Moerdijk",
    "1674": "Roosendaal", "0840": "Rucphen", "0851": "Steenbergen", "0873": "Woensdrecht", "0879": "Zundert",
}


@dataclass(frozen=True)
class Place:
    """A PC4 area's approximate centre."""

    pc4: str
    latitude: float
    longitude: float
    name: str
    cbs_code: str


@lru_cache(maxsize=1)
def _centroids() -> dict[str, Place]:
    with PC4_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["pc4"]: Place(row["pc4"], float(row["lat"]), float(row["lon"]), row["place"], row["cbs"])
                for row in rows}


def normalise_postcode(text: str | None) -> str | None:
    """Return "8911 AB" or "8911" for a valid Dutch postcode as typed, else None."""
    found = POSTCODE.match(text or "")
    if not found:
        return None
    return f"{found.group(1)} {found.group(2).upper()}" if found.group(2) else found.group(1)


def place_of(postcode: str | None) -> Place | None:
    """The PC4 centroid of a postcode, or None when it is not a postcode or not in the bundled regions."""
    normal = normalise_postcode(postcode)
    return _centroids().get(normal[:4]) if normal else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def km_per_degree_lon(latitude: float) -> float:
    """Kilometres per degree of longitude at a latitude (the flat-earth factor SQL filters and sorts with)."""
    return 111.32 * math.cos(math.radians(latitude))
