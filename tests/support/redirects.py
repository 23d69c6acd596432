"""Where a browser goes for a Location header, and the `next` values that try to send it elsewhere."""

import re
from urllib.parse import unquote, urljoin, urlsplit

# Dressed-up ways off the site: browsers drop tab, newline and CR, read a backslash as a slash, and a proxy may
# decode once more.
REDIRECT_TARGETS = [
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example", "\t//evil.example",
    "//evil.example", "///evil.example", "/\\evil.example", "\\/evil.example", "/\\/evil.example", "\\\\evil.example",
    "/%09/evil.example", "/%0a/evil.example", "/%0D/evil.example", "/%5c/evil.example", "/%5Cevil.example",
    "/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example", "/%2509/evil.example", " //evil.example",
    "/ /evil.example", "\x0b//evil.example", "\x00//evil.example", "/\u2028/evil.example", "/\u3000/evil.example",
    "https://evil.example/", "https:evil.example", "https:/evil.example", "HTTPS://evil.example", "//evil.example@x",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>", "evil.example",
]


def lands_on(location: str, site: str) -> str:
    """The host a browser on `site` goes to for this Location (WHATWG URL parsing drops tab and newline anywhere,
    trims control characters and spaces, and reads a backslash as a slash), also if a proxy decoded it once more;
    the scheme instead when it is not https (javascript:, data:)."""
    hosts = set()
    for text in (location, unquote(location)):
        cleaned = re.sub(r"[\t\n\r]", "", text).strip("".join(map(chr, range(0x21)))).replace("\\", "/")
        url = urlsplit(urljoin(f"https://{site}/plan/1", cleaned))
        hosts.add(url.netloc if url.scheme == "https" else f"{url.scheme}:")
    return hosts.pop() if len(hosts) == 1 else " or ".join(sorted(hosts))
