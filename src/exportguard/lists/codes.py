"""Short list codes (the CSL's own abbreviations) and what each list is."""

from __future__ import annotations

import re

from exportguard.errors import InputError

# The CSL names each source "Full Name (CODE) - Department"; the code in brackets is the short code
# users know. Sources outside the CSL carry their own code.
LIST_NAMES: dict[str, str] = {
    "EL": "Entity List (EL) - Bureau of Industry and Security",
    "DPL": "Denied Persons List (DPL) - Bureau of Industry and Security",
    "UVL": "Unverified List (UVL) - Bureau of Industry and Security",
    "MEU": "Military End User (MEU) List - Bureau of Industry and Security",
    "SDN": "Specially Designated Nationals (SDN) - Treasury Department",
    "SSI": "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    "CMIC": (
        "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"
    ),
    "NS-MBS": "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
    "PLC": "Palestinian Legislative Council List (PLC) - Treasury Department",
    "CAP": "Capta List (CAP) - Treasury Department",
    "FSE": "Foreign Sanctions Evaders (FSE) - Treasury Department",
    "DTC": "ITAR Debarred (DTC) - State Department",
    "ISN": "Nonproliferation Sanctions (ISN) - State Department",
    "FCC": "Covered List (FCC) - Federal Communications Commission",
    "UN": "United Nations Security Council Consolidated List (UN)",
    "FTM": "Other sanctions data in FollowTheMoney format (FTM), e.g. OpenSanctions datasets",
}

_CODE_IN_NAME = re.compile(r"\(([A-Z][A-Z-]*?)(?: List)?\)")


def list_code(source_name: str) -> str | None:
    """The short code for a CSL source name, or None when the name carries none."""
    text = source_name.strip()
    if text.upper() in LIST_NAMES:
        return text.upper()
    found = _CODE_IN_NAME.search(text)
    return found.group(1) if found else None


def parse_list_codes(value: str | None, field: str = "lists") -> frozenset[str] | None:
    """Parse a comma-separated list filter such as 'EL,SDN'; unknown codes are an error."""
    if value is None or not value.strip():
        return None
    codes = {part.strip().upper() for part in value.split(",") if part.strip()}
    unknown = sorted(codes - LIST_NAMES.keys())
    if unknown:
        known = ", ".join(sorted(LIST_NAMES))
        raise InputError(field, f"unknown list code(s) {', '.join(unknown)}; known: {known}")
    return frozenset(codes)
