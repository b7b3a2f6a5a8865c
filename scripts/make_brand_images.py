"""Draw the integration's brand images into custom_components/pressure_mask/brand/.

Run with `scripts/run python scripts/make_brand_images.py`. The drawing is a face mask with
pressure waves on both sides, on a transparent background, in a light-theme and a dark-theme
colour set. Every shape is drawn at 4x and scaled down, which gives smooth edges without a vector
renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND_DIR = Path(__file__).resolve().parent.parent / "custom_components" / "pressure_mask" / "brand"
SUPERSAMPLE = 4
# The icon is designed on a 256-unit square; logos put the icon beside the name.
ICON_UNITS = 256
NAME = "Pressure Mask"


@dataclass(frozen=True)
class Palette:
    """Colours of one theme (RGBA)."""

    mask: tuple[int, int, int, int]
    waves: tuple[int, int, int, int]
    text: tuple[int, int, int, int]


LIGHT = Palette(mask=(31, 122, 140, 255), waves=(42, 157, 143, 255), text=(33, 37, 41, 255))
DARK = Palette(mask=(120, 205, 220, 255), waves=(95, 212, 196, 255), text=(236, 239, 241, 255))


def _draw_icon(size_px: int, palette: Palette) -> Image.Image:
    """Return the icon as a square RGBA image of size_px."""
    big = size_px * SUPERSAMPLE
    unit = big / ICON_UNITS

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (round(x0 * unit), round(y0 * unit), round(x1 * unit), round(y1 * unit))

    # The mask: an oval face shape with eye openings punched through to transparency.
    mask_layer = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask_layer)
    draw.ellipse(box(68, 28, 188, 232), fill=255)
    draw.ellipse(box(90, 96, 122, 118), fill=0)
    draw.ellipse(box(134, 96, 166, 118), fill=0)
    draw.rounded_rectangle(box(108, 178, 148, 188), radius=round(5 * unit), fill=0)
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    image.paste(Image.new("RGBA", (big, big), palette.mask), (0, 0), mask_layer)

    # Pressure waves: two arcs on each side, opening away from the face.
    waves = ImageDraw.Draw(image)
    stroke = round(11 * unit)
    for inset in (0, 22):
        left = box(22 + inset, 78 - inset / 2, 82 + inset, 178 + inset / 2)
        right = box(174 - inset, 78 - inset / 2, 234 - inset, 178 + inset / 2)
        waves.arc(left, 130, 230, fill=palette.waves, width=stroke)
        waves.arc(right, -50, 50, fill=palette.waves, width=stroke)
    return image.resize((size_px, size_px), Image.Resampling.LANCZOS)


def _draw_logo(height_px: int, palette: Palette) -> Image.Image:
    """Return the logo: the icon and the product name, height_px tall, width to fit."""
    big_height = height_px * SUPERSAMPLE
    font = ImageFont.load_default(size=round(big_height * 0.42))
    text_box = ImageDraw.Draw(Image.new("RGBA", (1, 1))).textbbox((0, 0), NAME, font=font)
    text_width = text_box[2] - text_box[0]
    text_height = text_box[3] - text_box[1]
    gap = round(big_height * 0.12)
    width = big_height + gap + text_width + gap
    logo = Image.new("RGBA", (width, big_height), (0, 0, 0, 0))
    logo.alpha_composite(_draw_icon(big_height, palette))
    ImageDraw.Draw(logo).text(
        (big_height + gap - text_box[0], (big_height - text_height) / 2 - text_box[1]),
        NAME,
        font=font,
        fill=palette.text,
    )
    return logo.resize((width // SUPERSAMPLE, height_px), Image.Resampling.LANCZOS)


def main() -> None:
    """Write the eight brand images."""
    BRAND_DIR.mkdir(parents=True, exist_ok=True)
    for prefix, palette in (("", LIGHT), ("dark_", DARK)):
        for suffix, scale in (("", 1), ("@2x", 2)):
            icon = _draw_icon(256 * scale, palette)
            icon.save(BRAND_DIR / f"{prefix}icon{suffix}.png", optimize=True)
            logo = _draw_logo(128 * scale, palette)
            logo.save(BRAND_DIR / f"{prefix}logo{suffix}.png", optimize=True)
    for path in sorted(BRAND_DIR.glob("*.png")):
        with Image.open(path) as image:
            print(f"{path.name}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
