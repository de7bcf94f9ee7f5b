"""The district's cooperation as IATI 2.03 files (`coopgraph export iati`, `coopgraph export iati-organisation`):
validated before they are answered; a file that would not validate is a 422 naming the element."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from coopgraph.api.deps import SettingsDep, StoreDep
from coopgraph.api.errors import responses

router = APIRouter(tags=["exports"])

XML = "application/xml"


def _xml_file(description: str) -> dict:
    return {**responses(422, 503), 200: {"content": {XML: {"schema": {"type": "string"}}},
                                         "description": description}}


def _answer(request: Request, store, settings, name: str, make) -> Response:
    key = (store.version(), request.url.path)  # one file per data version: the same bytes until the next load
    body = request.app.state.cache.get_or_compute_bytes(key, lambda: make(store, settings).content)
    return Response(body, media_type=XML, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/exports/iati.xml", response_class=Response, responses=_xml_file("the IATI 2.03 activity file"),
            summary="The IATI 2.03 activity file of the district's cooperation")
def export_iati_activities(request: Request, store: StoreDep, settings: SettingsDep):
    """The IATI 2.03 activity file, as `coopgraph export iati` writes it: one activity per reported project and per cooperation line of the report, the district as reporting organisation, participating organisations with their roles and IATI types, incoming funds in their own currency, the district's counterpart apart, ODS as SDG tags, the PDD as a policy vocabulary of the district's own, and a link to the report. Validated against the IATI schema, the codelists and the standard ruleset first: a file that would not validate is a 422 naming the element and the reason (`details.elements` lists every problem)."""
    from coopgraph.analysis.iati import activity_file

    return _answer(request, store, settings, "coopgraph-iati-activities.xml", activity_file)


@router.get("/exports/iati-organisation.xml", response_class=Response,
            responses=_xml_file("the IATI 2.03 organisation file"),
            summary="The district's IATI 2.03 organisation file")
def export_iati_organisation(request: Request, store: StoreDep, settings: SettingsDep):
    """The district's IATI 2.03 organisation file, as `coopgraph export iati-organisation` writes it: its identifier, name and a link to each report the data comes from; validated first, as the activity file is."""
    from coopgraph.analysis.iati import organisation_file

    return _answer(request, store, settings, "coopgraph-iati-organisation.xml", organisation_file)
