"""The start-up snapshot (docs/aid/worker.js): a first visit keeps a copy of the engine's memory,
taken right after `import decision_aid` and before any answer reaches Python, in the Cache API; a
later visit starts from it. It is for speed only: the walk gives the same note, nothing typed is in
it, and a damaged snapshot is dropped and the engine starts as usual."""

from __future__ import annotations

import pytest

from .aid_page import AidPage, scenario
from .e2e_support import SNAPSHOT_CACHE, SNAPSHOT_ENTRIES as ENTRIES, wait_for_one_snapshot
MARKER = "Zq7-snapshot-marker-typed-by-the-user"



# Whether the kept snapshot, unpacked, holds the given ASCII text (as Python and JS store it: one
# byte a character, or UTF-16).
HOLDS = f"""async (text) => {{
  const cache = await caches.open('{SNAPSHOT_CACHE}');
  const [request] = await cache.keys();
  const packed = (await cache.match(request)).body;
  const bytes = new Uint8Array(await new Response(packed.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const forms = [Array.from(text, (c) => c.charCodeAt(0)), Array.from(text).flatMap((c) => [c.charCodeAt(0), 0])];
  return forms.some((needle) => {{
    outer: for (let i = bytes.indexOf(needle[0]); i !== -1; i = bytes.indexOf(needle[0], i + 1)) {{
      for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
      return true;
    }}
    return false;
  }});
}}"""


def walk_to_note(aid: AidPage, account: str) -> str:
    answers = scenario("outside_remit_generic")
    answers["details"] = {**answers["details"], "account": account}
    aid.walk(answers)
    aid.see_result()
    return aid.note()


def test_a_later_visit_starts_from_the_snapshot_which_holds_nothing_typed(new_context):
    context, _ = new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    aid = AidPage(page).open().wait_until_ready()
    assert page.get_attribute("#aid-root", "data-boot-from") == "start"
    first_note = walk_to_note(aid, MARKER)
    assert MARKER in first_note

    [(key, size)] = wait_for_one_snapshot(page)
    assert "/aid/aid-snapshot/" in key
    assert page.evaluate(HOLDS, "decision_aid.web"), "the snapshot does not even hold the engine's module name"
    assert not page.evaluate(HOLDS, MARKER), "the snapshot holds text the user typed"

    page.goto("about:blank")
    aid = AidPage(page).open().wait_until_ready()
    assert page.get_attribute("#aid-root", "data-boot-from") == "snapshot"
    assert walk_to_note(aid, MARKER) == first_note
    assert page.evaluate(ENTRIES) == [[key, size]], "a visit from the snapshot replaced it"


DAMAGE = {
    "not gzip": "new Response(new Uint8Array(4096).fill(7))",
    "gzip of junk": "new Response(new Blob([new Uint8Array(4096).fill(7)]).stream().pipeThrough(new CompressionStream('gzip')))",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_snapshot_is_dropped_and_the_engine_starts_as_usual(new_context, damage):
    context, _ = new_context()
    page = context.new_page()
    AidPage(page).open().wait_until_ready()
    [(key, _)] = wait_for_one_snapshot(page)
    page.evaluate(
        f"""async (key) => {{
          const cache = await caches.open('{SNAPSHOT_CACHE}');
          await cache.put(key, {damage});
        }}""",
        key,
    )
    page.goto("about:blank")
    aid = AidPage(page).open().wait_until_ready()
    assert page.get_attribute("#aid-root", "data-boot-from") == "start"
    aid.choose(aid.node, scenario("outside_remit_generic")[aid.node]).continue_()
    [(again, size)] = wait_for_one_snapshot(page)
    assert again == key and size > 1e6, "the damaged snapshot was not replaced by a good one"
