"""Scanned reports: a generated PDF as the signed paper copy comes back from the scanner.

Every page is drawn as an image at 150–200 dpi (the report's own characters at their own positions, its ruling
lines), turned by up to ±1.5°, given sensor noise, dust, a little blur and JPEG compression, and written as a PDF
with one image per page and no text layer. The truth is the generator's truth for the report.

The pages are drawn from the PDF's characters (pdfplumber: positions from the PDF's own metrics) with Noto Serif
SC, which the development dependency `pylopdf-fonts-zh-cn` ships, so a scan looks the same on every host, with or
without Chinese fonts installed (pdfium would draw the generator's unembedded STSong-Light with whatever the host
has, or with nothing).

    python -m corpusgen.scans --template gb2021 --seed 3 --out scan.pdf
"""

from __future__ import annotations

import argparse
import io
import random
import time
from functools import cache
from pathlib import Path

from corpusgen.reports import GeneratedReport, generate


@cache
def _font_path() -> Path:
    from importlib.util import find_spec

    spec = find_spec("pylopdf_fonts_zh_cn")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("generated scans need the development dependency pylopdf-fonts-zh-cn (make setup)")
    return Path(next(iter(spec.submodule_search_locations))) / "NotoSerifSC-Regular.otf"


@cache
def _font(pixels: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(_font_path()), max(4, pixels))


def draw_pages(pdf: bytes, dpi: int) -> list:
    """The PDF's pages as greyscale images (Pillow, mode L) at `dpi`: characters and ruling lines."""
    import pdfplumber
    from PIL import Image, ImageDraw

    scale = dpi / 72
    images = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            image = Image.new("L", (round(page.width * scale), round(page.height * scale)), 255)
            draw = ImageDraw.Draw(image)
            for edge in page.edges:
                width = max(1, round((edge.get("linewidth") or 0.5) * scale))
                draw.line(
                    [(edge["x0"] * scale, edge["top"] * scale), (edge["x1"] * scale, edge["bottom"] * scale)],
                    fill=20, width=width,
                )
            for char in page.chars:
                if not char["text"].strip():
                    continue
                baseline = page.height - char["matrix"][5]
                font = _font(round(char["size"] * scale))
                draw.text((char["x0"] * scale, baseline * scale), char["text"], font=font, fill=15, anchor="ls")
            page.close()
            images.append(image)
    return images


def degrade(image, rng: random.Random):
    """A scanner's page: turned slightly, noisy, dusty, a little soft, JPEG-compressed."""
    import numpy as np
    from PIL import Image, ImageFilter

    angle = rng.uniform(-1.5, 1.5)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
    noise = np.random.default_rng(rng.randrange(2**32))
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels * rng.uniform(0.85, 0.95) + rng.uniform(10, 30)  # grey paper, not quite black ink
    pixels += noise.normal(0, rng.uniform(6, 12), pixels.shape)
    dust = noise.random(pixels.shape) < rng.uniform(0.0002, 0.0008)
    pixels[dust] = noise.uniform(0, 120, int(dust.sum()))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(60, 85))
    return Image.open(io.BytesIO(buffer.getvalue()))


def to_scan(pdf: bytes, seed: int = 0, dpi: int | None = None) -> bytes:
    """An image-only PDF of `pdf` as a scanner makes it (seeded: the same arguments give the same bytes)."""
    rng = random.Random(f"scan-{seed}")
    dpi = dpi or rng.randint(150, 200)
    pages = [degrade(image, rng) for image in draw_pages(pdf, dpi)]
    buffer = io.BytesIO()
    when = time.gmtime(1710892800)  # 2024-03-20, fixed: the same arguments give the same bytes
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, creationDate=when,
                  modDate=when)
    return buffer.getvalue()


def scanned_report(template: str, seed: int, ruled: bool = True, **options) -> tuple[GeneratedReport, bytes]:
    """A generated report of `template` and its scan; the truth is the report's."""
    from corpusgen.render import to_pdf

    report = generate(template, seed=seed, **options)
    return report, to_scan(to_pdf(report.document, ruled=ruled), seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default="gb2021")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--borderless", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    _, data = scanned_report(args.template, args.seed, ruled=not args.borderless)
    args.out.write_bytes(data)
    print(f"{args.out}: {len(data) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
