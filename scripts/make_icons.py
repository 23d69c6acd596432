"""Draw the app icons (SVG, PNG 192/512/maskable, the opaque apple-touch-icon and favicon.ico) from one shape
description, without image libraries."""

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "app" / "static" / "icons"
BRAND = (0x0B, 0x5D, 0x66)
WHITE = (0xFF, 0xFF, 0xFF)
ACCENT = (0xF2, 0xC1, 0x4E)
# Two people side by side, a grown-up and a child: (head cx, cy, r), (body cx, top, rx, ry), colour.
FIGURES = [((200, 176, 62), (200, 262, 112, 150), WHITE), ((334, 244, 46), (334, 312, 82, 100), ACCENT)]
GROUND = 412


def inside(x: float, y: float) -> tuple[int, int, int] | None:
    """Return the colour of the foreground at (x, y) in 512-unit space, or None."""
    hit = None
    for (hx, hy, hr), (bx, by, brx, bry), colour in FIGURES:
        head = (x - hx) ** 2 + (y - hy) ** 2 <= hr * hr
        body = y <= GROUND and ((x - bx) / brx) ** 2 + ((y - (by + bry)) / bry) ** 2 <= 1
        if head or body:
            hit = colour
    return hit


def in_rounded(x: float, y: float, size: float, radius: float) -> bool:
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius


def render(size: int, maskable: bool, content: float | None = None) -> bytes:
    """Rasterise the icon at `size` pixels with 3x3 supersampling; RGBA rows for PNG.

    Maskable: the full square with the figures in the safe zone (the platform cuts the shape); else rounded corners.
    """
    samples = [(i + 0.5) / 3 for i in range(3)]
    scale = 512 / size
    content = content or (0.74 if maskable else 1.0)
    offset = 256 * (1 - content)
    rows = bytearray()
    for py in range(size):
        rows.append(0)
        for px in range(size):
            r = g = b = a = 0.0
            for sy in samples:
                for sx in samples:
                    x, y = (px + sx) * scale, (py + sy) * scale
                    if not maskable and not in_rounded(x, y, 512, 112):
                        continue
                    colour = inside((x - offset) / content, (y - offset) / content) or BRAND
                    r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 255
            n = 9
            alpha = a / n
            if alpha:
                rows += bytes((round(r / (a / 255)), round(g / (a / 255)), round(b / (a / 255)), round(alpha)))
            else:
                rows += b"\0\0\0\0"
    return bytes(rows)


def png(size: int, rgba: bytes, opaque: bool = False) -> bytes:
    """Encode RGBA rows as PNG; `opaque` drops the alpha channel (colour type 2), as iOS wants for its home screen."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    if opaque:
        rows, width = bytearray(), 1 + 4 * size
        for start in range(0, len(rgba), width):
            line = rgba[start:start + width]
            rows.append(line[0])
            for px in range(size):
                rows += line[1 + 4 * px:4 + 4 * px]
        rgba = bytes(rows)
    header = struct.pack(">IIBBBBB", size, size, 8, 2 if opaque else 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rgba, 9)) + chunk(b"IEND", b"")


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """Pack PNG images (size, bytes) into one .ico file (PNG entries: every browser since 2007 reads them)."""
    head = struct.pack("<HHH", 0, 1, len(images))
    offset, entries, data = 6 + 16 * len(images), b"", b""
    for size, image in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset + len(data))
        data += image
    return head + entries + data


def svg() -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">',
             '<rect width="512" height="512" rx="112" fill="#0b5d66"/>',
             f'<clipPath id="ground"><rect width="512" height="{GROUND}"/></clipPath>']
    for (hx, hy, hr), (bx, by, brx, bry), colour in FIGURES:
        fill = "#{:02x}{:02x}{:02x}".format(*colour)
        parts.append(f'<circle cx="{hx}" cy="{hy}" r="{hr}" fill="{fill}"/>')
        ellipse = f'cx="{bx}" cy="{by + bry}" rx="{brx}" ry="{bry}"'
        parts.append(f'<ellipse {ellipse} fill="{fill}" clip-path="url(#ground)"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon.svg").write_text(svg())
    for size, maskable, name in ((192, False, "icon-192.png"), (512, False, "icon-512.png"),
                                 (512, True, "icon-maskable-512.png")):
        (OUT / name).write_bytes(png(size, render(size, maskable)))
        print("wrote", name)
    # iOS puts transparent corners on black: the home-screen icon is the full square, opaque, and iOS rounds it.
    (OUT / "apple-touch-icon-180.png").write_bytes(png(180, render(180, True, content=0.86), opaque=True))
    (OUT / "favicon.ico").write_bytes(ico([(size, png(size, render(size, False))) for size in (16, 32, 48)]))
    print("wrote apple-touch-icon-180.png, favicon.ico")
