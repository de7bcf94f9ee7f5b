"""The profile's "prospects" section: for an entity, ODS, PDD objective or network, who to approach next.

Registered with `coopgraph.graph.profiles.register_section`; rows come from
`coopgraph.graph.prospects` (cooperants not yet engaged with the node, ranked), with what links each
to the node (``via``: the strongest common neighbours). The whole evidence, with its sources, is in
``coopgraph prospect --for ID`` and on the prospect map (/maps/prospects?for=ID).
"""
from __future__ import annotations

from coopgraph.graph.profiles import ProfileContext, Section, register_section

PROFILE_TOP = 5
TARGET_KINDS = ("entity", "sdg", "pdd-objective", "network")


def prospects_section(context: ProfileContext) -> Section | None:
    if context.kind not in TARGET_KINDS:
        return None
    from coopgraph.graph.prospects import prospects

    found = prospects(context.store, f"{context.kind}:{context.key}", top=PROFILE_TOP)
    rows = []
    for p in found["prospects"]:
        shared = [e["via_name"] for e in p["evidence"] if e["kind"] == "shared_neighbour"]
        rows.append({"rank": p["rank"], "id": p["id"].partition(":")[2], "kind": "cooperant", "name": p["name"],
                     "via": "; ".join(dict.fromkeys(shared[:3])) if shared else p["evidence"][0]["text"]})
    return Section("prospects", ["rank", "id", "name", "via"], rows, note="prospects")


register_section(prospects_section, before="sources")  # sources stay last
