"""Errors on the pages for people (maps, fichas, the query page): a short page in the page's language
with what was asked and a link back, instead of the API's JSON. api/errors.py decides which requests
are pages and calls `error_html`; the API under /api/v1 keeps its JSON errors."""
from __future__ import annotations

from urllib.parse import quote

from coopgraph.viz.page import render_template

__all__ = ["error_html", "TEXT"]

TEXT = {
    "es": {
        "title.404": "No encontramos lo que busca",
        "title.400": "No se puede mostrar esta página así",
        "title.422": "Un dato de la dirección no sirve",
        "title.503": "El servicio no está disponible en este momento",
        "title.500": "Algo falló al preparar esta página",
        "message.404": "Ninguna organización, red, ODS, objetivo del PDD, proyecto o página tiene este nombre o código:",
        "message.400": "La dirección pide algo que esta página no ofrece:",
        "message.422": "Revise este valor de la dirección:",
        "message.503": "Los datos no se pueden leer ahora; intente de nuevo en unos minutos.",
        "message.500": "Intente de nuevo; si vuelve a pasar, avise a quien administra el sitio.",
        "hint": "Puede buscar por nombre o sigla (BID, Secretaría de Ambiente, C40, ODS 13) desde el índice de mapas.",
        "candidates": "Ese nombre corresponde a varios; elija uno:",
        "back": "Volver al índice de mapas y fichas",
        "status": "Código de la respuesta: {status}",
    },
    "en": {
        "title.404": "We could not find what you are looking for",
        "title.400": "This page cannot be shown that way",
        "title.422": "A value in the address cannot be used",
        "title.503": "The service is not available right now",
        "title.500": "Something failed while preparing this page",
        "message.404": "No organisation, network, SDG, PDD objective, project or page has this name or code:",
        "message.400": "The address asks for something this page does not offer:",
        "message.422": "Check this value in the address:",
        "message.503": "The data cannot be read now; try again in a few minutes.",
        "message.500": "Try again; if it happens again, tell whoever runs the site.",
        "hint": "You can search by name or acronym (BID, Secretaría de Ambiente, C40, SDG 13) from the maps' index.",
        "candidates": "That name belongs to several; choose one:",
        "back": "Back to the index of maps and profiles",
        "status": "Response code: {status}",
    },
}


def _family(status: int) -> str:
    if status in (400, 404, 422, 503):
        return str(status)
    return "404" if status in (405, 410) else ("400" if 400 <= status < 500 else "500")


def error_html(status: int, lang: str = "es", *, asked: str | None = None, candidates: list[str] = (),
               base: str = "") -> str:
    """The error page: `asked` is what the address asked for (an id, a view, a parameter), `candidates`
    the map ids an ambiguous name could mean (each linked to its relationship map)."""
    lang = lang if lang in TEXT else "es"
    text = TEXT[lang]
    family = _family(status)
    from coopgraph.viz import i18n

    links = []
    for c in candidates:
        kind, _, raw = c.partition(":")
        name = i18n.kind_name(kind, lang) if kind in i18n.KINDS else kind
        links.append({"href": f"{base}/maps/ego?id={quote(c)}&lang={lang}", "label": f"{raw} ({name})"})
    return render_template("error.html", lang=lang, status=status, title=text[f"title.{family}"],
                           message=text[f"message.{family}"], asked=asked if family in ("400", "404", "422") else None,
                           candidates=links, candidates_intro=text["candidates"], hint=text["hint"],
                           back=text["back"], back_href=f"{base}/maps?lang={lang}",
                           status_text=text["status"].format(status=status))
