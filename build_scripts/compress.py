"""Compressed copies of the built site's files, made once at `make build`: `name.gz` and `name.br`
beside each file worth compressing, which the server (WhiteNoise in tools/serve.py, either copy;
nginx with `gzip_static`, the .gz copy) sends to browsers that accept them.

WhiteNoise's own compressor does the work. Brotli runs at its best quality (11) except for
Pyodide's 9.6 MB runtime, where 11 takes 46 s here for 12% fewer bytes (2.7 MB against 3.1 MB),
so it gets 9. A copy that is not smaller is not kept. WhiteNoise skips .zip files, which are
compressed as a rule; the aid's two zips are not (their entries are stored, so that one brotli
stream compresses across files: see build_scripts/sitebuild/bytecode.py), so they are
compressed here.

    python build_scripts/compress.py site/
"""

from __future__ import annotations

import sys
from pathlib import Path

from whitenoise.compress import Compressor

BROTLI_QUALITY = 9
STORED_ZIPS = ("/aid/decision_aid.zip", "/aid/pyodide/python_stdlib.zip")  # as the end of a path
# Brotli's best (11) for every file but the 9.6 MB runtime: a few seconds a build for 11% fewer
# bytes on the library (0.71 MB against 0.80 MB), paid once for every first visit.
BEST_QUALITY = 11
BEST_BELOW = 4_000_000


class SiteCompressor(Compressor):
    """WhiteNoise's compressor at a chosen brotli quality (it calls compress_brotli with the
    bytes only, so the quality is the compressor's, and a site uses one of each)."""

    def __init__(self, quality: int = BROTLI_QUALITY, **kwargs):
        super().__init__(**kwargs)
        self.quality = quality

    def should_compress(self, filename: str) -> bool:
        return Path(filename).as_posix().endswith(STORED_ZIPS) or super().should_compress(filename)

    def compress_brotli(self, data: bytes) -> bytes:
        import brotli

        return brotli.compress(data, quality=self.quality)


def best_quality(path: Path) -> bool:
    return path.as_posix().endswith(STORED_ZIPS) or path.stat().st_size < BEST_BELOW


def compress_site(site: Path, quiet: bool = True) -> int:
    """Write the compressed copies; return how many files were considered."""
    best, plain = SiteCompressor(BEST_QUALITY, quiet=quiet), SiteCompressor(BROTLI_QUALITY, quiet=quiet)
    count = 0
    for path in sorted(site.rglob("*")):
        if path.is_file() and not path.is_symlink() and plain.should_compress(path.as_posix()):
            for _ in (best if best_quality(path) else plain).compress(str(path)):
                pass
            count += 1
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0], "index.html").is_file():
        print("usage: python build_scripts/compress.py SITE_DIR (a built site, with index.html)", file=sys.stderr)
        return 2
    count = compress_site(Path(argv[0]))
    print(f"compressed copies made for {count} files in {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
