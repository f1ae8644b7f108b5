"""Sign-in, sign-out, own password, and the office's user administration."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from participation.accounts import services, sessions
from participation.accounts.dependencies import ACCOUNT_DEPENDENCIES
from participation.accounts.schemas import ROLE_LABELS, CurrentUser, PasswordChangeForm, Role, SignInForm, UserForm
from participation.directory.services import list_centres
from participation.i18n import gettext as _
from participation.i18n import ngettext
from participation.web.forms import bind_form, read_form, show_error
from participation.web.guards import office_only, signed_in
from participation.web.redirects import redirect_to


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in page cannot be used to send people elsewhere."""
    if not target:
        return "/start"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/start"
    return target


class AccountController(Controller):
    """Signing in and out, and changing one's own password."""

    @get("/anmelden", name="sign_in")
    async def sign_in_page(
        self, visitor: NamedDependency[CurrentUser | None], next: FromQuery[str | None] = None,
    ) -> Template | Redirect:
        if visitor is not None:
            return Redirect(_safe_next(next))
        return Template("accounts/sign_in.html", context={"form": bind_form(SignInForm), "next": _safe_next(next)})

    @post("/anmelden", name="sign_in_submit")
    async def sign_in(self, request: Request) -> Template | Redirect:
        formdata = await read_form(request)
        form = bind_form(SignInForm, formdata)
        next_url = _safe_next(formdata.get("next"))
        if form.validate():
            throttle = request.app.state.sign_in_throttle
            email = services.normalise_email(form.email.data)
            wait = await throttle.wait_seconds(email, request.scope)
            if wait:
                form.form_errors.append(ngettext(
                    "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie %(seconds)s Sekunde und versuchen Sie "
                    "es dann noch einmal.",
                    "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie %(seconds)s Sekunden und versuchen Sie "
                    "es dann noch einmal.",
                    wait, seconds=wait,
                ))
                return Template(
                    "accounts/sign_in.html", context={"form": form, "next": next_url}, status_code=429,
                    headers={"Retry-After": str(wait)},
                )
            user_id = await services.authenticate(email, form.password.data)
            if user_id is not None:
                await throttle.succeeded(email, request.scope)
                await sessions.start(request, user_id)
                return Redirect(next_url, status_code=303)
            await throttle.failed(email, request.scope)
            form.form_errors.append(_("E-Mail-Adresse oder Passwort stimmen nicht."))
        return Template(
            "accounts/sign_in.html", context={"form": form, "next": next_url}, status_code=400
        )

    @get("/abmelden", name="sign_out_page")
    async def sign_out_page(self) -> Template:
        return Template("accounts/sign_out.html")

    @post("/abmelden", name="sign_out")
    async def sign_out(self, request: Request) -> Redirect:
        await sessions.end(request)  # the session is deleted; a new, empty one carries the goodbye message
        flash(request, _("Sie sind abgemeldet."), category="success")
        return redirect_to(request, "home")

    @post("/konto/ueberall-abmelden", name="sign_out_everywhere", guards=[signed_in])
    async def sign_out_everywhere(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Redirect:
        await sessions.revoke_all(request, current_user.id)
        await sessions.end(request)
        flash(request, _("Sie sind jetzt auf allen Geräten abgemeldet."), category="success")
        return redirect_to(request, "home")

    @get("/konto/passwort", name="password_page", guards=[signed_in])
    async def password_page(self) -> Template:
        return Template("accounts/password.html", context={"form": bind_form(PasswordChangeForm)})

    @post("/konto/passwort", name="password_submit", guards=[signed_in])
    async def change_password(
        self, request: Request, current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        form = bind_form(PasswordChangeForm, await read_form(request))
        if form.validate():
            try:
                await services.change_password(current_user.id, form.current_password.data, form.password.data)
            except services.AccountError as error:
                show_error(form, error, "password")
            else:
                # Every other session of this user ends; this browser stays signed in under a new session id.
                await sessions.revoke_all(request, current_user.id, keep_current=True)
                flash(request, _("Ihr Passwort wurde geändert. Auf anderen Geräten sind Sie jetzt abgemeldet."),
                      category="success")
                return redirect_to(request, "start")
        return Template("accounts/password.html", context={"form": form}, status_code=400)


async def _user_form(formdata=None, **data) -> UserForm:
    form = bind_form(UserForm, formdata, **data)
    centres = await list_centres()
    form.centre.choices = [("", _("– kein Zentrum –"))] + [(str(c.id), c.name) for c in centres]
    return form


def _centre_id(form: UserForm) -> int | None:
    return int(form.centre.data) if form.centre.data else None


class UserAdminController(Controller):
    """The office manages who may sign in."""

    path = "/verwaltung/benutzer"
    guards = [office_only]
    dependencies = ACCOUNT_DEPENDENCIES

    @get("/", name="users")
    async def list_users(self) -> Template:
        return Template(
            "accounts/users.html", context={"users": await services.list_users(), "role_labels": ROLE_LABELS}
        )

    @get("/neu", name="user_new")
    async def new_user(self) -> Template:
        return Template("accounts/user_form.html", context={"form": await _user_form(), "user_id": None})

    @post("/neu", name="user_create")
    async def create_user(self, request: Request) -> Template | Redirect:
        form = await _user_form(await read_form(request))
        if form.validate():
            try:
                await services.create_user(
                    email=form.email.data, display_name=form.display_name.data, password=form.password.data,
                    role=Role(form.role.data), centre_id=_centre_id(form), active=form.active.data,
                )
            except services.AccountError as error:
                show_error(form, error, "email")
            else:
                flash(request, _("Der Zugang wurde angelegt."), category="success")
                return redirect_to(request, "users")
        return Template("accounts/user_form.html", context={"form": form, "user_id": None}, status_code=400)

    @get("/{user_id:int}", name="user_edit")
    async def edit_user(self, account: NamedDependency[dict], user_id: FromPath[int]) -> Template:
        form = await _user_form(
            display_name=account["display_name"], email=account["email"], role=account["role"],
            centre=str(account["centre"] or ""), active=account["active"],
        )
        return Template("accounts/user_form.html", context={"form": form, "user_id": user_id})

    @post("/{user_id:int}", name="user_update")
    async def update_user(
        self, request: Request, current_user: NamedDependency[CurrentUser], account: NamedDependency[dict],
        user_id: FromPath[int],
    ) -> Template | Redirect:
        form = await _user_form(await read_form(request))
        # The password is optional when editing: empty keeps the old one.
        if not form.password.data:
            form.password.validators = []
            form.password_repeat.validators = []
        if form.validate():
            if user_id == current_user.id and (not form.active.data or form.role.data != Role.OFFICE.value):
                form.active.errors.append(_("Sie können Ihren eigenen Zugang nicht sperren oder herabstufen."))
            else:
                try:
                    await services.update_user(
                        user_id, email=form.email.data, display_name=form.display_name.data,
                        role=Role(form.role.data), centre_id=_centre_id(form), active=form.active.data,
                        password=form.password.data or None,
                    )
                except services.AccountError as error:
                    show_error(form, error, "email")
                else:
                    if not form.active.data or form.password.data:
                        # A locked account or a new password: that user's sessions end (one's own continues here).
                        await sessions.revoke_all(request, user_id, keep_current=user_id == current_user.id)
                    flash(request, _("Der Zugang wurde gespeichert."), category="success")
                    return redirect_to(request, "users")
        return Template("accounts/user_form.html", context={"form": form, "user_id": user_id}, status_code=400)


