"""Master-data pages for the office and the public JSON API of districts and centres."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.directory import services
from participation.directory.dependencies import CENTRE_DEPENDENCIES
from participation.directory.schemas import CentreForm, CentreOut, DistrictOut, NamedForm
from participation.i18n import gettext as _
from participation.web.forms import bind_form, read_form, show_error
from participation.web.guards import OptionalIdQuery, office_only
from participation.web.redirects import redirect_to


async def _centre_form(formdata=None, **data) -> CentreForm:
    form = bind_form(CentreForm, formdata, **data)
    form.district.choices = [("", _("– bitte wählen –"))] + [
        (str(d.id), d.name) for d in await services.list_districts()
    ]
    form.operator.choices = [("", _("– bitte wählen –"))] + [
        (str(o.id), o.name) for o in await services.list_operators()
    ]
    return form


async def _overview(**context) -> Template:
    status = 400 if context else 200
    context.setdefault("district_form", bind_form(NamedForm, prefix="district"))
    context.setdefault("operator_form", bind_form(NamedForm, prefix="operator"))
    return Template(
        "directory/overview.html",
        context={
            "districts": await services.list_districts(),
            "operators": await services.list_operators(),
            "centres": await services.list_centres(),
            **context,
        },
        status_code=status,
    )


class DirectoryController(Controller):
    """The office keeps districts, operators and centres up to date."""

    path = "/verwaltung/stammdaten"
    guards = [office_only]
    dependencies = CENTRE_DEPENDENCIES

    @get("/", name="directory")
    async def overview(self) -> Template:
        return await _overview()

    @post("/stadtteile", name="district_create")
    async def create_district(self, request: Request) -> Template | Redirect:
        form = bind_form(NamedForm, await read_form(request), prefix="district")
        if form.validate():
            try:
                await services.create_district(form.name.data)
            except services.DirectoryError as error:
                show_error(form, error, "name")
            else:
                flash(request, _("Der Stadtteil wurde angelegt."), category="success")
                return redirect_to(request, "directory")
        return await _overview(district_form=form)

    @post("/traeger", name="operator_create")
    async def create_operator(self, request: Request) -> Template | Redirect:
        form = bind_form(NamedForm, await read_form(request), prefix="operator")
        if form.validate():
            try:
                await services.create_operator(form.name.data)
            except services.DirectoryError as error:
                show_error(form, error, "name")
            else:
                flash(request, _("Der Träger wurde angelegt."), category="success")
                return redirect_to(request, "directory")
        return await _overview(operator_form=form)

    @get("/zentren/neu", name="centre_new")
    async def new_centre(self) -> Template:
        return Template("directory/centre_form.html", context={"form": await _centre_form(), "centre_id": None})

    @post("/zentren/neu", name="centre_create")
    async def create_centre(self, request: Request) -> Template | Redirect:
        return await self._save_centre(request, None)

    @get("/zentren/{centre_id:int}", name="centre_edit")
    async def edit_centre(self, centre: NamedDependency[CentreOut]) -> Template:
        form = await _centre_form(
            name=centre.name, district=str(centre.district_id), operator=str(centre.operator_id),
            address=centre.address, email=centre.email,
        )
        return Template("directory/centre_form.html", context={"form": form, "centre_id": centre.id})

    @post("/zentren/{centre_id:int}", name="centre_update")
    async def update_centre(self, request: Request, centre: NamedDependency[CentreOut]) -> Template | Redirect:
        return await self._save_centre(request, centre.id)

    async def _save_centre(self, request: Request, centre_id: int | None) -> Template | Redirect:
        form = await _centre_form(await read_form(request))
        if form.validate():
            try:
                await services.save_centre(
                    centre_id, name=form.name.data, district_id=int(form.district.data or 0),
                    operator_id=int(form.operator.data or 0), address=form.address.data or "",
                    email=form.email.data or "",
                )
            except services.DirectoryError as error:
                show_error(form, error, "name")
            else:
                flash(request, _("Das Zentrum wurde gespeichert."), category="success")
                return redirect_to(request, "directory")
        return Template(
            "directory/centre_form.html", context={"form": form, "centre_id": centre_id}, status_code=400
        )


class DirectoryApiController(Controller):
    """Districts and centres as JSON: public, because parents pick them on the survey form."""

    path = "/api"
    tags = ["Stammdaten"]
    include_in_schema = True

    @get("/districts", name="api_districts")
    async def districts(self) -> list[DistrictOut]:
        """All districts (Stadtteile) of the city."""
        return await services.list_districts()

    @get("/centres", name="api_centres")
    async def centres(self, district: OptionalIdQuery = None) -> list[CentreOut]:
        """All centres, optionally only those of one district."""
        return await services.list_centres(district_id=district)
