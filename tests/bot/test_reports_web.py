"""``/reports`` over real HTTP: who may see it, the period form, and each CSV
download carrying exactly the numbers the page shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Awaitable, Callable
from html.parser import HTMLParser

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bench.datagen import generate
from bot.app import create_app
from bot.settings import Settings
from store.engine import Database
from tests.bot.webtools import login, unused_triager
from tests.conftest import add_officer, add_referral

ClientFactory = Callable[..., Awaitable[TestClient]]
PERIOD = "from=1/4/2025&to=2026-03-31"


@pytest.fixture
async def client(aiohttp_client: ClientFactory, sqlite_db: Database) -> TestClient:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    app = create_app(settings, db=sqlite_db, triager=unused_triager())
    return await aiohttp_client(app)


async def signed_in(client: TestClient, db: Database, role: str) -> TestClient:
    email = f"{role}@example.gov.uk"
    await add_officer(db, email, role)
    assert (await login(client, email)).status == 303
    return client


class Tables(HTMLParser):
    """Collects every <table> of the page by its caption id: rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._key: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "caption" and (found.get("id") or "").endswith("-caption"):
            self._key = (found["id"] or "")[2:-8]
            self.tables[self._key] = []
        elif tag == "tr" and self._key is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._key is not None:
            self.tables[self._key].append(self._row)
            self._row = None
        elif tag == "table":
            self._key = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _normal(value: str) -> str:
    """A page cell as the CSV writes it (numbers bare, dates ISO, nothing for a dash)."""
    if value == "—":
        return ""
    try:
        return dt.datetime.strptime(value, "%d %b %Y").date().isoformat()  # noqa: DTZ007
    except ValueError:
        return value.replace(",", "").removesuffix("%")


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("role", ["officer", "auditor"])
async def test_other_roles_are_refused(client: TestClient, sqlite_db: Database, role: str) -> None:
    await signed_in(client, sqlite_db, role)
    assert (await client.get("/reports")).status == 403
    assert (await client.get(f"/reports/summary.csv?{PERIOD}")).status == 403
    queue = await (await client.get("/queue")).text()
    assert 'href="/reports"' not in queue


@pytest.mark.parametrize("role", ["manager", "admin"])
async def test_managers_and_admins_see_reports(
    client: TestClient, sqlite_db: Database, role: str
) -> None:
    await signed_in(client, sqlite_db, role)
    response = await client.get("/reports")
    assert response.status == 200
    html = await response.text()
    assert 'href="/reports"' in html  # the header link
    assert "Contacts by quarter" in html
    assert "<svg" not in html or 'role="img"' in html


async def test_anonymous_users_are_sent_to_sign_in(client: TestClient) -> None:
    response = await client.get("/reports", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/login")
    csv_response = await client.get(f"/reports/summary.csv?{PERIOD}", allow_redirects=False)
    assert csv_response.status == 303


# ---------------------------------------------------------------- the period


async def test_bad_periods_get_a_clear_400(client: TestClient, sqlite_db: Database) -> None:
    await signed_in(client, sqlite_db, "manager")
    bad = await client.get("/reports?from=31/02/2025&to=2025-06-01")
    assert bad.status == 400
    body = await bad.text()
    assert "The start date is not a date" in body
    assert "31/02/2025" not in body.split("<form")[0]  # the message never echoes input
    backwards = await client.get("/reports?from=2025-06-01&to=1/5/2025")
    assert backwards.status == 400
    assert "The end date is before the start date" in await backwards.text()
    assert (await client.get("/reports/summary.csv?from=nonsense")).status == 400
    assert (await client.get(f"/reports/no_such_table.csv?{PERIOD}")).status == 404
    # one reporting year: no year-on-year table
    assert (await client.get(f"/reports/year_on_year.csv?{PERIOD}")).status == 404
    two_years = await client.get("/reports/year_on_year.csv?from=1/4/2024&to=31/3/2026")
    assert two_years.status == 200


async def test_views_and_downloads_are_audited(client: TestClient, sqlite_db: Database) -> None:
    await signed_in(client, sqlite_db, "manager")
    assert (await client.get(f"/reports?{PERIOD}")).status == 200
    assert (await client.get(f"/reports/by_sector.csv?{PERIOD}")).status == 200
    async with sqlite_db.session() as session:
        conn = await session.connection()
        actions = (
            await conn.execute(
                text("SELECT action, detail FROM audit_event WHERE action LIKE 'report%'")
            )
        ).all()
    assert [a for a, _d in actions] == ["report_view", "report_csv"]
    assert '"from": "2025-04-01"' in actions[1][1] or "2025-04-01" in str(actions[1][1])


# ---------------------------------------------------------------- CSV = page


async def test_each_csv_has_the_numbers_on_the_page(
    client: TestClient, sqlite_db: Database, sqlite_url: str
) -> None:
    await generate(sqlite_url, 700, seed=8, start=dt.date(2024, 4, 1), end=dt.date(2026, 3, 31))
    await add_referral(
        sqlite_db,
        adult_employer="=HYPERLINK(1)",
        received_at=dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC),
    )
    await signed_in(client, sqlite_db, "manager")
    period = "from=1/4/2024&to=31/3/2026"
    page = await client.get(f"/reports?{period}")
    assert page.status == 200
    parser = Tables()
    parser.feed(await page.text())
    assert len(parser.tables) >= 25
    assert "year_on_year" in parser.tables
    checked = 0
    for key, page_rows in parser.tables.items():
        response = await client.get(f"/reports/{key}.csv?{period}")
        assert response.status == 200, key
        assert response.headers["Content-Type"].startswith("text/csv")
        assert (
            f"lado-{key.replace('_', '-')}-2024-04-01-to-2026-03-31.csv"
            in (response.headers["Content-Disposition"])
        )
        raw = await response.read()
        assert raw.startswith("\ufeff".encode())
        csv_rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert csv_rows[0] == page_rows[0], key  # the header
        # the page shows the first rows of long tables (and every total): each page row is
        # the CSV row with the same label, number for number
        by_label = {r[0].removeprefix("'"): r for r in csv_rows[1:]}
        assert len(by_label) >= len(page_rows) - 1, key
        for row in page_rows[1:]:
            assert row[0] in by_label, (key, row[0])
            assert [_normal(c) for c in row[1:]] == by_label[row[0]][1:], (key, row[0])
            checked += 1
    assert checked > 200


async def test_spreadsheet_formulas_are_made_inert(client: TestClient, sqlite_db: Database) -> None:
    await add_referral(
        sqlite_db,
        adult_employer="=HYPERLINK(1)",
        received_at=dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC),
    )
    async with sqlite_db.transaction() as session:
        conn = await session.connection()
        await conn.execute(
            text("UPDATE referral SET decision='low_level_concern', status='decided'")
        )
    await signed_in(client, sqlite_db, "manager")
    response = await client.get(f"/reports/llc_by_organisation.csv?{PERIOD}")
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)"
