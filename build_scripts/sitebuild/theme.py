"""Material's dormant outside fetches, made inert after the build."""

from __future__ import annotations

import os
import re

# An absolute URL that starts a JavaScript string literal: the shape of every address a script
# could request (tests/test_handbook_build.py looks for the same shape in the built site).
JS_EXTERNAL_URL = re.compile(r"""(?<=["'`])(?:https?:)?//(?:(?:[\w-]+\.)+[A-Za-z]{2,}|\$\{[^}]*\})""")


def neutralise_theme_fetches(site_dir: str) -> list[str]:
    """Point Material's dormant outside fetches at inert data: URLs.

    Material 9.8.1's bundle can load a ResizeObserver polyfill and Mermaid from unpkg.com, and
    repository facts from the GitHub/GitLab APIs. None of them runs for this site (modern
    browsers, no diagrams, no repo_url), but "nothing is fetched from outside the site" must
    hold by construction, not by luck: an intranet proxy log should never show such a request.
    A `data:,` URL cannot reach the network, so the worst case is a feature that quietly stays
    off. Only Material's own bundle is touched; anything else is left for the test to report.
    """
    changed = []
    scripts = os.path.join(site_dir, "assets", "javascripts")
    for name in sorted(os.listdir(scripts)) if os.path.isdir(scripts) else []:
        if not (name.startswith("bundle.") and name.endswith(".js")):
            continue
        path = os.path.join(scripts, name)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        found = JS_EXTERNAL_URL.findall(text)
        if found:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(JS_EXTERNAL_URL.sub("data:,", text))
            changed += [f"{name}: {url}" for url in found]
    return changed
