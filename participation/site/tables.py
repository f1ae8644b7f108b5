"""Piccolo table of the site settings: one row per installation (none until the first-run page has been completed)."""

from piccolo.columns import Bytea, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class SiteSettingsRow(Table, tablename="site_settings"):
    """The city running this installation. Read through `participation.site.services.site_settings`."""

    city_name = Varchar(length=100)
    leader_title = Varchar(length=200)
    dialogue_name = Varchar(length=100, default="Familiendialog")
    logo = Bytea(null=True, default=None)
    logo_content_type = Varchar(length=40, default="")
    primary_colour = Varchar(length=7, default="#0b4f8a")
    contact_address = Text(default="")
    contact_email = Varchar(length=254, default="")
    updated_at = Timestamptz(default=TimestamptzNow())
