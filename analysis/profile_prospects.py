"""The profile's "prospects" section: for an entity, ODS, PDD objective or network, who to approach next.

Registered with `coopgraph.analysis.profiles.register_section`; rows come from
`coopgraph.analysis.prospects` (cooperants not yet engaged with the node, ranked), with what links each
to the node (``via``, ``via_en``: the strongest piece of evidence as one sentence, in Spanish and English). The whole evidence, with its sources, is in
``coopgraph prospect --for ID`` and on the prospect map (/maps/prospects?for=ID).
"""
from __future__ import annotations

from coopgraph.analysis.profile_model import ProfileContext, Section, register_section

PROFILE_TOP = 5
TARGET_KINDS = ("entity", "sdg", "pdd-objective", "network", "cooperant")  # a cooperant's: entities it could work with


def prospects_section(context: ProfileContext) -> Section | None:
    if context.kind not in TARGET_KINDS:
        return None
    from coopgraph.analysis.prospects import prospects

    rows = []
    by_lang = {lang: prospects(context.store, f"{context.kind}:{context.key}", top=PROFILE_TOP, lang=lang)["prospects"]
               for lang in ("es", "en")}
    for p, p_en in zip(by_lang["es"], by_lang["en"]):
        rows.append({"rank": p["rank"], "id": p["id"].partition(":")[2], "kind": p["id"].partition(":")[0],
                     "name": p["name"], "via": _why(p), "via_en": _why(p_en)})
    return Section("prospects", ["rank", "id", "name", "via"], rows,
                   note="prospects_cooperant" if context.kind == "cooperant" else "prospects")


def _why(prospect: dict) -> str:
    """One plain sentence: the strongest piece of evidence (what the cooperant and the node share)."""
    shared = [e for e in prospect["evidence"] if e["kind"] == "shared_neighbour"]
    return (shared or prospect["evidence"])[0]["text"]


register_section(prospects_section, before="sources")  # sources stay last
