"""The legal pages (public) and the office's page for the city's entries on them."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.i18n import gettext as _
from participation.legal import services
from participation.legal.schemas import CONFORMANCE, LegalTextsForm
from participation.settings import Settings
from participation.web.forms import bind_form, read_form, show_error
from participation.web.guards import office_only
from participation.web.redirects import redirect_to


async def _page(template: str, settings: Settings) -> Template:
    texts = await services.legal_texts()
    return Template(f"legal/{template}", context={
        "texts": texts, "facts": services.privacy_facts(settings), "checked_on": services.checked_on(texts),
        "conformance": CONFORMANCE.get(texts["conformance"], ""),
    })


class LegalController(Controller):
    """Impressum, Datenschutz, Barrierefreiheit and Leichte Sprache: linked from every page, readable by anyone."""

    @get("/impressum", name="legal_imprint")
    async def imprint(self, settings: NamedDependency[Settings]) -> Template:
        return await _page("imprint.html", settings)

    @get("/datenschutz", name="legal_privacy")
    async def privacy(self, settings: NamedDependency[Settings]) -> Template:
        return await _page("privacy.html", settings)

    @get("/barrierefreiheit", name="legal_accessibility")
    async def accessibility(self, settings: NamedDependency[Settings]) -> Template:
        return await _page("accessibility.html", settings)

    @get("/leichte-sprache", name="legal_easy_read")
    async def easy_read(self, settings: NamedDependency[Settings]) -> Template:
        return await _page("easy_read.html", settings)


class LegalOfficeController(Controller):
    """The office enters what only the city knows: controller, data protection officer, legal basis …"""

    path = "/verwaltung/rechtliches"
    guards = [office_only]

    @get("/", name="legal_texts")
    async def edit(self) -> Template:
        texts = await services.legal_texts()
        values: dict[str, object] = dict(texts)
        values["checked_on"] = services.checked_on(texts)
        return Template("legal/office_texts.html", context={"form": bind_form(LegalTextsForm, **values)})

    @post("/", name="legal_texts_save")
    async def save(self, request: Request) -> Template | Redirect:
        form = bind_form(LegalTextsForm, await read_form(request))
        if form.validate():
            values = {name: field.data for name, field in form._fields.items()}
            checked: date | None = values["checked_on"]
            values["checked_on"] = checked.isoformat() if checked else ""
            try:
                await services.save_legal_texts({k: str(v or "") for k, v in values.items()})
            except services.LegalTextError as error:
                show_error(form, error)
            else:
                flash(request, _("Die Angaben für die rechtlichen Seiten wurden gespeichert."), category="success")
                return redirect_to(request, "legal_texts")
        return Template("legal/office_texts.html", context={"form": form}, status_code=400)


LEGAL_CONTROLLERS = [LegalController, LegalOfficeController]
