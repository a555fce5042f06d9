"""The address guard: the link checker never reaches into the machine or its network.

A source link is typed by an editor, and every redirect it leads to is chosen by somebody
else's server. Before any connection the host is resolved and *every* address it resolves to
is vetted; one forbidden address refuses the whole host (a name that answers with a public and
a private address is an attack, not a mirror). The connection then goes to the vetted address
itself, so a second lookup cannot swap in another one (DNS rebinding). Each redirect hop goes
through the same steps.
"""

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .conf import setting
from .urlkeys import DEFAULT_PORTS, InvalidURL, idna_host

ALLOWED_SCHEMES = frozenset(DEFAULT_PORTS)

# Instance-metadata services of cloud providers: credentials live there.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.169.123", "100.100.100.200", "fd00:ec2::254")
)
METADATA_NAMES = frozenset(
    {"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"}
)

# Address blocks that are not the public Internet (IANA special-purpose registries), listed
# explicitly so the rule does not depend on the Python version's `is_private`/`is_global` tables.
FORBIDDEN_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/96",  # unspecified, loopback, IPv4-compatible
        "100::/64",  # discard
        "64:ff9b:1::/48",  # local-use NAT64
        "2001::/23",  # IETF protocol assignments (Teredo, ORCHID, benchmarking)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique local (fd00:ec2::254 is AWS metadata)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local
        "ff00::/8",  # multicast
    )
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HOST_CHARS = re.compile(r"[a-z0-9_.-]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
TEST_LOOPBACK = frozenset({ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")})


class Refused(Exception):
    """The guard will not fetch this address. `outcome` names the reason for the check history."""

    outcome = "blocked"


class UnsupportedScheme(Refused):
    outcome = "unsupported_scheme"


class BadAddress(Refused):
    outcome = "invalid_url"


class ResolveFailed(Refused):
    """The name does not resolve: a failure of the link, not a refusal by the guard."""

    outcome = "dns_error"


@dataclass(frozen=True)
class Target:
    """A vetted request target: connect to one of `addresses`, speak to `host`."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple  # (family, sockaddr) pairs, every one vetted

    @property
    def is_https(self):
        return self.scheme == "https"


def _embedded_ipv4(ip):
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def forbidden_reason(ip, *, embedded=False) -> str | None:
    """Why this address may not be fetched, or None when it is a public Internet address."""
    ip = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if ip.version == 6 and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    if not embedded and ip in TEST_LOOPBACK and setting("SOURCES_ALLOW_LOOPBACK_FOR_TESTS"):
        return None
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.version == 6:
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = forbidden_reason(inner, embedded=True)
            return f"{reason} (inside an IPv6 address)" if reason else None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if (
        ip.is_private
        or ip.is_reserved
        or any(ip in net for net in FORBIDDEN_NETWORKS if net.version == ip.version)
    ):
        return "a private or reserved address"
    if ip.version == 6 and ip.is_site_local:
        return "a site-local address"
    return None


def parse(url: str):
    """Scheme, host, port and request path of an http(s) URL, or a refusal with the reason."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError as exc:
        raise BadAddress("The address is malformed (check the port and brackets).") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise UnsupportedScheme(f"Only http and https links are checked, not {shown}.")
    try:
        host = idna_host(parts.hostname or "")
    except InvalidURL as exc:
        raise BadAddress(str(exc)) from exc
    if ":" not in host and not _HOST_CHARS.fullmatch(host):
        raise BadAddress(f"“{parts.hostname}” is not a valid host name.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if any(ord(c) < 33 or ord(c) == 127 for c in path):
        raise BadAddress("The address contains spaces or control characters.")
    # Non-ASCII letters in a path are sent percent-encoded as UTF-8, as browsers do.
    path = _NON_ASCII.sub(lambda m: quote(m.group(), safe=""), path)
    return scheme, host, port or DEFAULT_PORTS[scheme], path


def resolve(host: str, port: int) -> tuple:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise ResolveFailed(f"The name {host} does not resolve ({exc}).") from exc
    seen, addresses = set(), []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6) or (family, sockaddr) in seen:
            continue
        seen.add((family, sockaddr))
        addresses.append((family, sockaddr))
    if not addresses:
        raise ResolveFailed(f"The name {host} has no internet address.")
    return tuple(addresses)


def vet(url: str) -> Target:
    """Check a URL and every address its host resolves to; raise Refused, else return the pinned target."""
    scheme, host, port, path = parse(url)
    if host in METADATA_NAMES or host.endswith(".internal"):
        raise Refused(f"{host} is a cloud metadata or internal name; it is never fetched.")
    addresses = resolve(host, port)
    for _family, sockaddr in addresses:
        reason = forbidden_reason(sockaddr[0])
        if reason:
            raise Refused(f"{host} resolves to {sockaddr[0]}, {reason}; it is never fetched.")
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)
