"""The impact dashboards' pages: who may open which, the date range, the CSV downloads.

The figures come from ``partnerships.services.impact`` (tested on its own); here a hand-made
Impact stands in for them, so these tests are about the pages."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from cms import roles
from partnerships.services.impact import Period
from tests.credentials.second_factor_support import give_totp, login_with_second_factor
from tests.partnerships.test_tables import fake_impact

TODAY = date(2026, 3, 15)


@pytest.fixture
def figures_asked(monkeypatch):
    """The (scope, period) each dashboard asked figures for; the figures are hand-made."""
    asked = []

    def fake(scope, period):
        asked.append((scope, period))
        return fake_impact(scope, period)

    monkeypatch.setattr("partnerships.views_impact.impact", fake)
    monkeypatch.setattr("partnerships.views_impact.timezone.localdate", lambda: TODAY)
    return asked


@pytest.fixture
def impact_editor(make_user):
    return make_user("eddie@example.org", roles.EDITORS, display_name="Eddie")


def dashboard(partnership):
    return reverse("impact:partnership", kwargs={"slug": partnership.slug})


def institution_dashboard(issuer):
    return reverse("impact:institution", kwargs={"slug": issuer.slug})


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_staff_of_either_member_open_the_partnership_dashboard(
    client, request, persona, nh_partnership, figures_asked
):
    login_with_second_factor(client, request.getfixturevalue(persona))
    response = client.get(dashboard(nh_partnership))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Impact of Northbridge–Helix" in page
    assert figures_asked[0][0].partnership == nh_partnership
    assert figures_asked[0][1] == Period(date(2025, 4, 1), TODAY)  # the last twelve months
    assert page.count('role="img"') == 6  # a chart per table but the summary
    assert page.count("<table") == 7
    assert "Robotics for Makers" in page and "1,234" in page


@pytest.mark.parametrize("persona", ["charlie", "learner"])
def test_a_partnership_dashboard_does_not_exist_for_outsiders(
    client, request, persona, nh_partnership, figures_asked
):
    login_with_second_factor(client, request.getfixturevalue(persona))
    assert client.get(dashboard(nh_partnership)).status_code == 404
    assert not figures_asked


def test_anonymous_visitors_are_sent_to_log_in(client, nh_partnership, member_university):
    for url in (dashboard(nh_partnership), institution_dashboard(member_university), "/impact/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_their_second_factor_are_asked_for_it(client, alice, nh_partnership):
    client.force_login(alice)
    response = client.get(dashboard(nh_partnership))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("credentials_manage:second_factor"))


def test_an_unknown_partnership_is_not_found(client, alice, figures_asked):
    login_with_second_factor(client, alice)
    assert client.get("/impact/partnerships/no-such-thing/").status_code == 404


def test_an_institutions_dashboard_is_for_those_who_act_for_it(
    client, alice, bob, member_university, figures_asked
):
    login_with_second_factor(client, alice)
    response = client.get(institution_dashboard(member_university))
    assert response.status_code == 200
    assert "Impact of Northbridge University" in response.content.decode()
    assert figures_asked[0][0].issuer == member_university
    login_with_second_factor(client, bob)
    assert client.get(institution_dashboard(member_university)).status_code == 404


def test_the_site_dashboard_is_for_editors(client, impact_editor, alice, learner, figures_asked):
    login_with_second_factor(client, impact_editor)
    response = client.get("/impact/")
    assert response.status_code == 200
    assert figures_asked[0][0].kind == "site"
    for person in (alice, learner):
        login_with_second_factor(client, person)
        assert client.get("/impact/").status_code == 403
    assert len(figures_asked) == 1


@pytest.mark.parametrize("query", [{}, {"format": "csv", "table": "summary"}])
def test_an_editor_without_a_second_factor_is_sent_to_set_one_up(
    client, impact_editor, figures_asked, query
):
    client.force_login(impact_editor)  # acts for no issuer, has no authenticator

    response = client.get("/impact/", query)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert not figures_asked
    page = client.get(response["Location"])  # a page, not a way back to the dashboard
    assert page.status_code == 200
    assert "impact dashboard needs a second factor" in page.content.decode()


def test_an_editor_who_has_not_used_their_second_factor_proves_it_then_comes_back(
    client, impact_editor, figures_asked
):
    give_totp(impact_editor)
    client.force_login(impact_editor)  # with the password only

    response = client.get("/impact/", {"start": "2026-01-01"})

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("mfa_reauthenticate") + "?" + urlencode({"next": "/impact/?start=2026-01-01"})
    )
    assert not figures_asked


def test_an_editor_with_a_second_factor_used_in_the_session_sees_the_site(
    client, impact_editor, figures_asked
):
    login_with_second_factor(client, impact_editor)

    response = client.get("/impact/")

    assert response.status_code == 200
    assert "Impact across the site" in response.content.decode()


def test_a_learner_is_refused_the_site_without_being_asked_for_a_second_factor(
    client, learner, figures_asked
):
    client.force_login(learner)
    assert client.get("/impact/").status_code == 403
    assert not figures_asked


def test_a_chosen_period_is_shown_with_presets(client, alice, nh_partnership, figures_asked):
    login_with_second_factor(client, alice)
    response = client.get(dashboard(nh_partnership), {"start": "2025-01-01", "end": "2025-06-30"})
    assert response.status_code == 200
    assert figures_asked[-1][1] == Period(date(2025, 1, 1), date(2025, 6, 30))
    page = response.content.decode()
    assert 'name="start" value="2025-01-01"' in page
    assert 'name="end" value="2025-06-30"' in page
    assert '<label for="impact-start">' in page
    assert "?start=2026-01-01&amp;end=2026-03-15" in page  # this year
    assert "?start=2025-01-01&amp;end=2025-12-31" in page  # last year
    assert "format=csv&amp;table=courses&amp;start=2025-01-01&amp;end=2025-06-30" in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-13-01", "", "The start is not a date"),
        ("2025-06-01", "2025-01-01", "The end date is before the start date."),
        ("<script>", "x", "is not a date"),
    ],
)
def test_a_period_that_is_not_one_is_refused_beside_the_form(
    client, alice, nh_partnership, figures_asked, start, end, message
):
    login_with_second_factor(client, alice)
    response = client.get(dashboard(nh_partnership), {"start": start, "end": end})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    assert "<script>" not in page.split("<main", 1)[-1]
    assert not figures_asked
    query = {"start": start, "end": end, "format": "csv", "table": "summary"}
    csv_response = client.get(dashboard(nh_partnership), query)
    assert csv_response.status_code == 400


def read(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_each_table_downloads_as_csv_named_for_scope_table_and_dates(
    client, bob, nh_partnership, figures_asked
):
    login_with_second_factor(client, bob)
    response = client.get(
        dashboard(nh_partnership),
        {"format": "csv", "table": "awards-by-month", "start": "2025-11-01", "end": "2026-01-31"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="impact-northbridge-helix-awards-by-month-2025-11-01-2026-01-31.csv"'
    )
    assert read(response) == [
        ["Month", "Badges awarded"],
        ["2025-11", "2"],
        ["2025-12", "0"],
        ["2026-01", "5"],
    ]


def test_a_course_titled_as_a_formula_downloads_inert(client, alice, nh_partnership, monkeypatch):
    monkeypatch.setattr(
        "partnerships.views_impact.impact",
        lambda scope, period: fake_impact(scope, period, title='=HYPERLINK("http://x","y")'),
    )
    login_with_second_factor(client, alice)
    response = client.get(dashboard(nh_partnership), {"format": "csv", "table": "courses"})
    assert read(response)[1][0] == '\'=HYPERLINK("http://x","y")'


def test_an_unknown_table_is_not_found(client, alice, nh_partnership, figures_asked):
    login_with_second_factor(client, alice)
    response = client.get(dashboard(nh_partnership), {"format": "csv", "table": "passwords"})
    assert response.status_code == 404


def test_outsiders_download_nothing(client, charlie, nh_partnership, figures_asked):
    login_with_second_factor(client, charlie)
    response = client.get(dashboard(nh_partnership), {"format": "csv", "table": "summary"})
    assert response.status_code == 404


# --- With the real figures ---------------------------------------------------------------------


@pytest.fixture
def counted_partnership(nh_partnership, member_university):
    """The Northbridge–Helix partnership with one badge awarded twice in January 2026."""
    from tests.partnerships.services import impact_world as world

    spotter = world.badge(member_university, "opportunity-spotter")
    nh_partnership.badge_classes.add(spotter)
    world.awards(spotter, 2, world.at(2026, 1, 10))
    return nh_partnership


JANUARY = {"start": "2026-01-01", "end": "2026-01-31"}


def test_the_dashboard_shows_the_figures_the_services_count(client, alice, counted_partnership):
    login_with_second_factor(client, alice)
    response = client.get(
        dashboard(counted_partnership), {**JANUARY, "format": "csv"} | {"table": "awards-per-badge"}
    )
    assert read(response) == [
        ["Badge", "Total", "2026-01"],
        ["Opportunity Spotter", "2", "2"],
    ]
    page = client.get(dashboard(counted_partnership), JANUARY).content.decode()
    assert "Opportunity Spotter: 2" in page  # the bar's title


def test_the_page_costs_the_same_queries_for_one_story_or_many(
    client, alice, counted_partnership, member_university
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.partnerships.services import impact_world as world

    login_with_second_factor(client, alice)
    world.case_study(counted_partnership, "first-story")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dashboard(counted_partnership), JANUARY).status_code == 200
        return len(captured)

    queries()  # warm the caches (site root paths, locales)
    few = queries()
    for n in range(3):
        world.case_study(counted_partnership, f"story-{n}")
        more = world.badge(member_university, f"badge-{n}")
        counted_partnership.badge_classes.add(more)
        world.awards(more, 3, world.at(2026, 1, 12))
    page = client.get(dashboard(counted_partnership), JANUARY).content.decode()
    assert page.count('class="card impact-story"') == 4
    assert queries() == few
