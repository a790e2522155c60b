"""The outbound investment rule, 31 CFR Part 850: may a U.S. person make this investment?"""

from exportguard.outbound.decide import (
    END_USES,
    OutboundDetermination,
    OutboundQuestion,
    outbound,
)
from exportguard.outbound.rules import OutboundRules, outbound_rules

__all__ = ["END_USES", "OutboundDetermination", "OutboundQuestion", "OutboundRules", "outbound",
           "outbound_rules"]
