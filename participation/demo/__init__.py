"""Demo data modelled on Ludwigsburg: its real districts, 12 centres run by 4 operators, demo users, a closed past
round with ~400 responses and an open current survey in six languages.

The centres' names and addresses are illustrative, not the city's register.
"""

from __future__ import annotations

from collections.abc import Callable

from participation.accounts.schemas import Role
from participation.accounts.services import create_user
from participation.demo.legal import load_demo_legal_texts
from participation.demo.minutes import load_demo_minutes
from participation.demo.surveys import load_demo_surveys
from participation.directory.services import create_district, create_operator, save_centre
from participation.directory.tables import District
from participation.site.services import SiteSettingsInput, save_site_settings

DISTRICTS = [
    "Innenstadt", "Weststadt", "Oststadt", "Eglosheim", "Grünbühl-Sonnenberg",
    "Hoheneck", "Neckarweihingen", "Oßweil", "Pflugfelden", "Poppenweiler",
]

OPERATORS = [
    ("Stadt Ludwigsburg – Fachbereich Bildung und Familie", "Stadt"),
    ("Evangelische Kirche in Ludwigsburg", "Ev. Kirche"),
    ("Katholische Kirche Ludwigsburg", "Kath. Kirche"),
    ("Caritas Ludwigsburg-Waiblingen-Enz", "Caritas"),
]

# (centre, district, operator short name, street)
CENTRES = [
    ("Kinder- und Familienzentrum Innenstadt", "Innenstadt", "Stadt", "Wilhelmstraße 12"),
    ("Kinder- und Familienzentrum Weststadt", "Weststadt", "Ev. Kirche", "Schwieberdinger Straße 40"),
    ("Kinder- und Familienzentrum Oststadt", "Oststadt", "Kath. Kirche", "Friedrichstraße 88"),
    ("Kinder- und Familienzentrum Schlösslesfeld", "Oststadt", "Stadt", "Schlösslesweg 5"),
    ("Kinder- und Familienzentrum Eglosheim", "Eglosheim", "Stadt", "Hirschbergstraße 19"),
    ("Kinder- und Familienzentrum Grünbühl", "Grünbühl-Sonnenberg", "Caritas", "Karlsruher Straße 2"),
    ("Kinder- und Familienzentrum Sonnenberg", "Grünbühl-Sonnenberg", "Stadt", "Sonnenbergstraße 31"),
    ("Kinder- und Familienzentrum Hoheneck", "Hoheneck", "Ev. Kirche", "Uferstraße 7"),
    ("Kinder- und Familienzentrum Neckarweihingen", "Neckarweihingen", "Kath. Kirche", "Hauptstraße 54"),
    ("Kinder- und Familienzentrum Oßweil", "Oßweil", "Caritas", "Neckarweihinger Straße 21"),
    ("Kinder- und Familienzentrum Pflugfelden", "Pflugfelden", "Ev. Kirche", "Dorfstraße 11"),
    ("Kinder- und Familienzentrum Poppenweiler", "Poppenweiler", "Stadt", "Hauptstraße 3"),
]

#: Ludwigsburg's site settings (a fresh installation without the demo asks for its own on the first-run page).
SITE = SiteSettingsInput(
    city_name="Ludwigsburg",
    leader_title="Erster Bürgermeister",
    dialogue_name="Familiendialog",
    primary_colour="#0b4f8a",
    contact_address="Stadt Ludwigsburg\nFachbereich Bildung und Familie\nWilhelmstraße 11\n71638 Ludwigsburg",
    contact_email="familiendialog@familiendialog.example",
)

OFFICE_USER = ("buero@familiendialog.example", "Büro Familiendialog", "demo-buero-2026")
CENTRE_USER = ("eglosheim@familiendialog.example", "Team KiFaZ Eglosheim", "demo-zentrum-2026",
               "Kinder- und Familienzentrum Eglosheim")


async def database_is_empty() -> bool:
    return not await District.exists()


async def load_demo(progress: Callable[[str], None] = lambda step: None) -> None:
    """Fill an empty database with the Ludwigsburg demo."""
    await save_site_settings(SITE)
    progress("districts")
    district_ids = {name: await create_district(name) for name in DISTRICTS}
    progress("operators")
    operator_ids = {short: await create_operator(name, short) for name, short in OPERATORS}
    progress("centres")
    centre_ids = {}
    for name, district, operator, street in CENTRES:
        slug = name.split()[-1].lower().replace("ß", "ss").replace("ü", "ue").replace("ö", "oe")
        centre_ids[name] = await save_centre(
            None, name=name, district_id=district_ids[district], operator_id=operator_ids[operator],
            address=f"{street}, 714xx Ludwigsburg", email=f"kifaz-{slug}@familiendialog.example",
        )
    progress("accounts")
    email, display_name, password = OFFICE_USER
    await create_user(email=email, display_name=display_name, password=password, role=Role.OFFICE)
    email, display_name, password, centre = CENTRE_USER
    await create_user(
        email=email, display_name=display_name, password=password, role=Role.CENTRE, centre_id=centre_ids[centre]
    )
    await load_demo_surveys(progress)
    await load_demo_minutes(progress)
    await load_demo_legal_texts(progress)
