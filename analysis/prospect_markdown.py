"""Prospects as Markdown for strategists (`coopgraph prospect --markdown` and the terminal view)."""
from __future__ import annotations

__all__ = ["render_markdown"]


def _number(x: float, es: bool, digits: int = 3) -> str:
    return f"{x:.{digits}f}".replace(".", ",") if es else f"{x:.{digits}f}"


def _entities(n: int, es: bool) -> str:
    return ("entidad" if n == 1 else "entidades") if es else ("entity" if n == 1 else "entities")


def render_markdown(result: dict, lang: str = "es") -> str:
    """The prospects as a Markdown list for strategists, money the Colombian way."""
    from coopgraph.money import format_cop

    es = lang == "es"
    t = result["target"]
    out = [f"# {'Prospectos para' if es else 'Prospects for'} {t['name']} ({t['id']})", ""]
    if t["kind"] == "cooperant":
        return "\n".join(out + _entity_markdown(result, es))
    out.append((f"Cooperantes que ya trabajan con este objetivo (no se proponen): {result['engaged']}. "
                f"Cooperantes con evidencia en el grafo: {result['with_evidence']} de {result['candidates']}.") if es else
               (f"Cooperants already working with this target (left out): {result['engaged']}. "
                f"Cooperants with evidence in the graph: {result['with_evidence']} of {result['candidates']}."))
    out.append("")
    if not result["prospects"]:
        out.append("Ningún cooperante sin vínculo comparte un vecino con este objetivo ni financia entidades." if es else
                   "No cooperant without a link shares a neighbour with this target or funds any entity.")
    for p in result["prospects"]:
        money = p["money"]
        kind = p["iati_type_name"] or p["kind"] or ("sin tipo" if es else "no type")
        amount = format_cop(money["total_cents"], cents=True) if money["total_cents"] else ("sin aportes en COP" if es else "no COP contributions")
        out.append(f"{p['rank']}. **{p['name']}** — {'puntaje' if es else 'score'} {_number(p['score'], es)}; "
                   f"{kind}; {amount}, {money['entities']} {_entities(money['entities'], es)}.")
        for e in p["evidence"][:3]:
            sources = sorted({f"{f['source']} ({f['locator']})" for f in e["facts"] if f.get("source")})
            out.append(f"   - {e['text']}" + (f" _{'Fuente' if es else 'Source'}: {'; '.join(sources[:2])}_" if sources else ""))
        more = p["evidence_count"] - min(3, len(p["evidence"]))
        if more > 0:
            out.append(f"   - … {more} {'evidencias más' if es else 'more pieces of evidence'}.")
    out += ["", ("Método: asignación de recursos (NetworkX) sobre el grafo tipado, más 0,1 × la popularidad relativa "
                 "(entidades que financia). Ver docs/prospecting.md.") if es else
            "Method: resource allocation (NetworkX) on the typed graph, plus 0.1 × relative popularity (entities "
            "funded). See docs/prospecting.md."]
    return "\n".join(out)


def _entity_markdown(result: dict, es: bool) -> list[str]:
    """The lines of a cooperant's prospects: the entities it could work with next, then its co-funders."""
    from coopgraph.money import format_cop

    out = [(f"Entidades que ya trabajan con este cooperante (no se proponen): {result['engaged']}. "
            f"Entidades con evidencia en el grafo: {result['with_evidence']} de {result['candidates']}.") if es else
           (f"Entities already working with this cooperant (left out): {result['engaged']}. "
            f"Entities with evidence in the graph: {result['with_evidence']} of {result['candidates']}."), ""]
    for p in result["prospects"]:
        money = p["money"]["total_cents"]
        amount = (f"{'recibe' if es else 'receives'} {format_cop(money, cents=True)}" if money else
                  ("sin aportes en COP" if es else "no COP contributions"))
        out.append(f"{p['rank']}. **{p['name']}** — {'puntaje' if es else 'score'} {_number(p['score'], es)}; {amount}.")
        out += [f"   - {e['text']}" for e in p["evidence"][:3]]
    if result.get("co_funders"):
        out += ["", "## " + ("Quién más financia lo que este cooperante financia" if es else
                             "Who else funds what this cooperant funds"), ""]
        out += [f"{c['rank']}. {c['text']}" for c in result["co_funders"]]
    return out
