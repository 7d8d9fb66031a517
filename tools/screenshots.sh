#!/usr/bin/env bash
# Pictures for the README: window-sized PNGs of the home page, a search, a document, the basket,
# the kiosk, the upload form and the print queue, at phone (360 x 780) and desktop (1280 x 800)
# sizes, in docs/screenshots/ (phone-home.png, desktop-search.png...). They are taken by the
# browser test `pictures_of_the_main_pages_at_phone_and_desktop_sizes` (tests/browser.rs), which
# writes them where CARTABLE_SCREENSHOTS says; it needs chromium and chromium-driver. Then, when
# pngquant, optipng or Python's Pillow is installed, the pictures are made smaller.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/docs/screenshots"
mkdir -p "$out"
rm -f "$out"/*.png
# CI=true turns the test's "skipped: no chromium" into a failure: here pictures are the point.
CI=true CARTABLE_SCREENSHOTS="$out" \
  cargo test --test browser pictures_of_the_main_pages_at_phone_and_desktop_sizes

shopt -s nullglob
pictures=("$out"/*.png)
if [ ${#pictures[@]} -eq 0 ]; then
  echo "no picture was written into $out" >&2
  exit 1
fi
if command -v pngquant >/dev/null 2>&1; then
  # Exit status 98/99: a picture was left as it was (not smaller, or below the quality floor).
  pngquant --force --skip-if-larger --strip --quality 85-100 --ext .png -- "${pictures[@]}" || true
elif command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o5 -strip all -- "${pictures[@]}"
elif python3 -c 'import PIL' >/dev/null 2>&1; then
  # 256 colours without dithering: flat interface colours and text stay sharp.
  python3 - "${pictures[@]}" <<'PY'
import sys
from PIL import Image
for path in sys.argv[1:]:
    Image.open(path).convert("RGB").quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
PY
else
  echo "no pngquant, optipng or Pillow: the pictures are left as Chromium wrote them" >&2
fi
du -ch "${pictures[@]}" | tail -n 1
