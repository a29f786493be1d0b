"""A scanned PDF page → a clean grayscale image for tesseract.

Pure functions over Pillow images and numpy arrays, plus :func:`render` (pypdfium2):

* render in colour at a fixed resolution (pdfium resamples: a 100-dpi scan comes out at
  300 dpi, a 600-dpi one is brought down), so tesseract always sees text of the size it
  reads best;
* whiten strongly red and strongly blue pixels before the grayscale conversion: red is the
  ink of received-stamps and seals printed over the text, blue the pen that fills in the
  số, the day and the signature. Tesseract misreads hand-writing with high confidence
  ("30" → "40"), so a blank is the honest reading of those fields;
* straighten a slightly rotated scan: the angle within ±5° whose horizontal projection
  profile is sharpest (text lines fall into few rows).
"""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

RENDER_DPI = 300
MAX_SKEW = 5.0  # degrees searched either way
_SKEW_WIDTH = 1000  # the skew search runs on a copy this wide (pixels)
INK_MARGIN = 35  # one channel exceeds both others by this much: red or blue ink
MIN_SKEW = 0.2  # smaller angles are left alone (rotation blurs the glyphs a little)


def render(page: pdfium.PdfPage, dpi: int = RENDER_DPI) -> Image.Image:
    """The page as an RGB image at ``dpi``."""
    return page.render(scale=dpi / 72).to_pil().convert("RGB")


def suppress_ink(image: Image.Image) -> np.ndarray:
    """Grayscale array (uint8) of ``image`` with strongly red or blue pixels, and their
    anti-aliased rims, made white."""
    image = image.convert("RGB")
    gray = np.array(image.convert("L"))
    r, g, b = (np.asarray(c, dtype=np.int16) for c in image.split())
    red = (r - np.maximum(g, b) > INK_MARGIN) | (b - np.maximum(r, g) > INK_MARGIN)
    rim = red.copy()  # grow the mask by one pixel each way
    rim[1:] |= red[:-1]
    rim[:-1] |= red[1:]
    rim[:, 1:] |= red[:, :-1]
    rim[:, :-1] |= red[:, 1:]
    gray[rim] = 255
    return gray


def skew_angle(gray: np.ndarray, max_angle: float = MAX_SKEW) -> float:
    """Degrees to rotate the image counter-clockwise so its text lines lie flat."""
    small = _shrink(gray)
    ys, xs = np.nonzero(small < _ink_threshold(small))
    if len(xs) < 200:
        return 0.0
    best = _best_angle(xs, ys, np.arange(-max_angle, max_angle + 1e-9, 0.25))
    best = _best_angle(xs, ys, np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05))
    return round(-float(best), 2)


def deskew(gray: np.ndarray) -> tuple[Image.Image, float]:
    """The straightened image and the angle used."""
    angle = skew_angle(gray)
    image = Image.fromarray(gray, mode="L")
    if abs(angle) < MIN_SKEW:
        return image, 0.0
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255), angle


def prepare(image: Image.Image) -> tuple[Image.Image, float]:
    """Stamps and pen out, grayscale, straightened: what tesseract reads."""
    return deskew(suppress_ink(image))


def _shrink(gray: np.ndarray) -> np.ndarray:
    h, w = gray.shape
    if w <= _SKEW_WIDTH:
        return gray
    size = (_SKEW_WIDTH, max(1, round(h * _SKEW_WIDTH / w)))
    return np.asarray(Image.fromarray(gray).resize(size, Image.Resampling.BILINEAR))


def _ink_threshold(gray: np.ndarray) -> int:
    """Otsu's threshold: the level that best splits ink from paper."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.argmax(between))


def _best_angle(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> float:
    """The counter-clockwise angle the page was scanned at: the one whose row profile has
    the largest sum of squared steps between rows (text lines fall into few rows)."""
    scores = []
    for angle in angles:
        # A line turned counter-clockwise by ``angle`` rises to the right: y + x·tan is
        # constant along it.
        rows = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        profile = np.bincount(rows - rows.min())
        scores.append(float(np.sum(np.diff(profile.astype(np.float64)) ** 2)))
    return float(angles[int(np.argmax(scores))])
