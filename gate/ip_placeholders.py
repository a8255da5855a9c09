"""Addresses for IP-typed outputs the gate does not model: valid, and plainly not real.

A program builds policies and rules from an instance's or an Elastic IP's address
(``Condition: {"IpAddress": {"aws:SourceIp": f"{eip.public_ip}/32"}}``, an ingress rule for one
host); after ``pulumi up`` the engine hands it the real address, so a pack that parses addresses
judges a real one. A placeholder that is not an address (``publicIp-1a2b...``) would make such a
pack report "not an IP range" where the real preview passes. So these outputs get addresses from
the ranges reserved for documentation, which no host has: IPv4 TEST-NET-3 ``203.0.113.0/24``
(RFC 5737) for public ones, ``10.0.0.0/8`` (RFC 1918) for private ones, IPv6 ``2001:db8::/32``
(RFC 3849); a CIDR block output is a ``/16`` (IPv4) or ``/56`` (IPv6, the size AWS assigns a
VPC).
"""

from __future__ import annotations

import re

_IPV6_ADDRESS = re.compile(r"(^ipv6|Ipv6)Address$")
_IPV4_ADDRESS = re.compile(r"(^ip|Ip)(Address)?$")
_IPV6_CIDR = re.compile(r"(^ipv6|Ipv6)CidrBlock$")
_IPV4_CIDR = re.compile(r"(^c|C)idrBlock$")


def ip_placeholder(property_: str, digest: str) -> str | None:
    """An address for ``property_`` (camelCase output name) derived from ``digest`` (hex), or
    None when the property is not an address or CIDR block."""
    a, b, c = (int(digest[i : i + 2], 16) for i in (0, 2, 4))
    if _IPV6_CIDR.search(property_):
        return f"2001:db8:{digest[:4]}:{digest[4:6]}00::/56"
    if _IPV4_CIDR.search(property_):
        return f"10.{a}.0.0/16"
    if _IPV6_ADDRESS.search(property_):
        return f"2001:db8:{digest[:4]}::{digest[4:8]}"
    if _IPV4_ADDRESS.search(property_):
        private = property_.lower().startswith("private")
        return f"10.{a}.{b}.{max(c, 1) % 255}" if private else f"203.0.113.{a % 254 + 1}"
    return None
