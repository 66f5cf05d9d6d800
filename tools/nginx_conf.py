"""Print the nginx configuration for the built site (deploy/nginx-handbook.conf.in filled in).

    python tools/nginx_conf.py site/ --prefix /handbook/ > /etc/nginx/snippets/handbook.conf

The Content-Security-Policy is read from SITE_DIR/csp-header.txt, which each build writes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx-handbook.conf.in"
PREFIX = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*$")


def render(site: Path, prefix: str) -> str:
    if not PREFIX.match(prefix):
        raise ValueError(f"--prefix must be a path that starts and ends with '/', such as /handbook/ (not {prefix!r})")
    csp_file = site / "csp-header.txt"
    if not (site / "index.html").is_file() or not csp_file.is_file():
        raise ValueError(f"{site} is not a built site (no index.html or csp-header.txt): run `make build` first")
    csp = csp_file.read_text(encoding="utf-8").strip()
    if '"' in csp or "\\" in csp or "\n" in csp:
        raise ValueError(f"{csp_file} holds characters nginx cannot take in a quoted header")
    root = str(site.resolve())
    if any(ch in root for ch in ' ;"{}\\'):
        raise ValueError(f"the site's folder {root!r} has a character nginx needs quoted: move it")
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("@PREFIX@", prefix).replace("@ROOT@", root).replace("@CSP@", csp)


def standalone(site: Path, prefix: str, port: int, work: Path, nginx: str = "nginx") -> list[str]:
    """An nginx of its own on 127.0.0.1:PORT serving the site under PREFIX with this configuration,
    its files in WORK (for the end-to-end test and the load figures). Returns the command to run
    it in the foreground; raises ValueError with nginx's own words if the configuration fails."""
    import os
    import subprocess

    (work / "handbook.conf").write_text(render(site, prefix), encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read files only root may read
    temp = " ".join(f"{kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        f"{user}worker_processes 2;\ndaemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        f"events {{ worker_connections 4096; }}\n"
        f"http {{ access_log off; {temp}\n  server {{ listen 127.0.0.1:{port} backlog=2048; include {work}/handbook.conf; }}\n}}\n",
        encoding="utf-8")
    command = [nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise ValueError(f"nginx refuses the configuration: {check.stderr.strip()}")
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--prefix", default="/", help="the path the handbook is served under (default: /)")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(args.site, args.prefix))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
