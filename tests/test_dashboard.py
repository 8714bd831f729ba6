"""The exchange's dashboard: counts by procedure and status, overdue ones, median days per
process, and submissions per month as a server-drawn SVG (readable with JavaScript off)."""
from datetime import date, datetime, timedelta

from desk_support import sent_applications, signed_in

from portal.domain.applications import dashboard
from portal.domain.workflow.calendar import exchange_today
from portal.models import Application, Clock, utcnow


def test_the_dashboard_counts_and_draws_without_javascript(app, db, tmp_path):
    people, ids = sent_applications(db, tmp_path, count=3, state="in_review")
    sent_applications(db, tmp_path, state="refused", people=people)
    today = exchange_today(utcnow(), "Asia/Almaty")
    late = db.get(Application, ids[0])
    late.next_due_on = today - timedelta(days=2)
    two_months_ago = (today.replace(day=1) - timedelta(days=40)).replace(day=15)
    db.get(Application, ids[1]).submitted_at = datetime.combine(two_months_ago, datetime.min.time())
    for n, days in enumerate((4, 10, 6)):
        db.add(Clock(application_id=ids[n], deadline="process:review", side="exchange",
                     started_on=date(2031, 1, 1), amount=10, unit="working_days",
                     stopped_on=date(2031, 1, 1) + timedelta(days=days)))
    db.commit()

    assert dashboard.by_procedure_and_status(db) == [("flow-test", "in_review", 3),
                                                     ("flow-test", "refused", 1)]
    assert dashboard.overdue(db, today) == 1
    assert dashboard.median_days(db) == {"review": 6}
    months = dashboard.submissions_per_month(db, today)
    assert len(months) == 12 and months[-1] == (today.replace(day=1), 3)
    assert months[-3] == (two_months_ago.replace(day=1), 1)

    page = signed_in(app, people.office).get("/queue/dashboard").data.decode()
    assert "1 application is overdue." in page
    assert '<svg class="chart"' in page and page.count('<rect class="bar"') == 12
    assert "<script" not in page.split('<svg class="chart"')[1].split("</svg>")[0]
    assert "Under review by the exchange" in page and "<td>3</td>" in page
    assert "Review</td><td>6</td>" in page
