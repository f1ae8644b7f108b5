"""The site settings page (office), the first-run page of a new installation, and the logo and colour they set."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.settings import Settings
from participation.site import services
from participation.site.schemas import FirstRunForm, SiteSettings, SiteSettingsForm
from participation.site.services import FirstOfficeAccount, SiteError, SiteSettingsInput
from participation.web.forms import FormInput, bind_form, show_error
from participation.web.guards import office_only
from participation.web.redirects import redirect_to


async def _read_settings_form(request: Request, form_class: type[SiteSettingsForm]) -> tuple:
    """The bound form, the uploaded logo's bytes (None when no file was chosen) and whether to remove the logo."""
    raw = await request.form()
    form = bind_form(form_class, FormInput(raw))
    upload = raw.get("logo")
    logo = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
    return form, logo, raw.get("remove_logo") == "1"


def _input(form: SiteSettingsForm, logo: bytes | None, remove_logo: bool) -> SiteSettingsInput:
    return SiteSettingsInput(
        city_name=form.city_name.data or "", leader_title=form.leader_title.data or "",
        dialogue_name=form.dialogue_name.data or "", primary_colour=form.primary_colour.data or "",
        contact_address=form.contact_address.data or "", contact_email=form.contact_email.data or "",
        logo=logo, remove_logo=remove_logo,
    )


def _form_from(site: SiteSettings, form_class: type[SiteSettingsForm] = SiteSettingsForm) -> SiteSettingsForm:
    if not site.configured:
        return bind_form(form_class)
    return bind_form(
        form_class, city_name=site.city_name, leader_title=site.leader_title, dialogue_name=site.dialogue_name,
        primary_colour=site.primary_colour, contact_address=site.contact_address, contact_email=site.contact_email,
    )


class SiteSettingsController(Controller):
    """The office sets the city's name, who leads the dialogue, logo, colour and contact."""

    path = "/verwaltung/einstellungen"
    guards = [office_only]

    @get("/", name="site_settings")
    async def page(self) -> Template:
        site = await services.site_settings()
        return Template("site/settings.html", context={"form": _form_from(site), "saved": site})

    @post("/", name="site_settings_save")
    async def save(self, request: Request) -> Template | Redirect:
        form, logo, remove_logo = await _read_settings_form(request, SiteSettingsForm)
        if form.validate():
            try:
                await services.save_site_settings(_input(form, logo, remove_logo))
            except SiteError as error:
                show_error(form, error)
            else:
                flash(request, _("Die Einstellungen wurden gespeichert."), category="success")
                return redirect_to(request, "site_settings")
        site = await services.site_settings()
        return Template("site/settings.html", context={"form": form, "saved": site}, status_code=400)


class FirstRunController(Controller):
    """A new installation's first page: the city's settings and the first office account."""

    path = "/einrichtung"

    @get("/", name="first_run")
    async def page(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        if not await services.first_run_pending():
            return redirect_to(request, "home", status_code=302)
        return Template("site/first_run.html",
                        context={"form": bind_form(FirstRunForm), "require_code": settings.production})

    @post("/", name="first_run_save")
    async def save(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        if not await services.first_run_pending():
            return redirect_to(request, "home")
        form, logo, _remove = await _read_settings_form(request, FirstRunForm)
        assert isinstance(form, FirstRunForm)
        if form.validate():
            try:
                await services.complete_first_run(
                    _input(form, logo, False),
                    FirstOfficeAccount(display_name=form.display_name.data or "", email=form.email.data or "",
                                       password=form.password.data or ""),
                    expected_code=services.setup_code(settings.secret_key) if settings.production else None,
                    given_code=form.setup_code.data or "",
                )
            except DomainError as error:  # a setting (SiteError) or the account (AccountError) at fault
                if isinstance(error, SiteError) and not await services.first_run_pending():
                    return redirect_to(request, "home")  # another browser finished the first run meanwhile
                show_error(form, error)
            else:
                flash(request, _("Die Plattform ist eingerichtet. Bitte melden Sie sich mit Ihrem neuen Zugang an."),
                      category="success")
                return redirect_to(request, "sign_in")
        return Template("site/first_run.html", context={"form": form, "require_code": settings.production},
                        status_code=400)


@get("/logo", name="site_logo", cache=False)
async def site_logo() -> Response[bytes]:
    """The city's logo (PNG or SVG, checked on upload); 404 without one. Its URL carries a hash of its content."""
    site = await services.site_settings()
    if not site.has_logo:
        return Response(b"", status_code=404, media_type="text/plain")
    return Response(site.logo or b"", media_type=site.logo_content_type,
                    headers={"Cache-Control": "public, max-age=86400"})


@get("/gestaltung.css", name="site_style")
async def site_style() -> Response[str]:
    """The city's colour as a style sheet (no inline styles: the Content-Security-Policy forbids them)."""
    site = await services.site_settings()
    css = f":root {{ --accent: {site.primary_colour}; --accent-dark: {site.primary_colour_dark}; }}\n"
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=86400"})


SITE_CONTROLLERS: list = [SiteSettingsController, FirstRunController, site_logo, site_style]
