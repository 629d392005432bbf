"""The annual activity report and the exports of filtered lists."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from ema.access import allowed, can_read_annual_report
from ema.exports import export_response
from ema.periods import fiscal_year_of
from ema.reports import annual_report


@allowed(can_read_annual_report)
def annual_report_view(request):
    """The report for a fiscal year (?year=2026 for the year starting in 2026), as a printable
    page, an XLSX workbook (?format=xlsx) or one CSV table (?format=csv&table=<slug>). Small
    counts of people are always hidden: the report is meant for the board and the funders."""
    today = timezone.localdate()
    current = fiscal_year_of(today)
    year = current
    if request.GET.get("year", "").isdigit():
        asked = int(request.GET["year"])
        if 2000 <= asked <= current.start.year:
            year = fiscal_year_of(current.start.replace(year=asked))
    report = annual_report(user=request.user, year=year)
    tables = [table.for_funders() for table in report.tables]
    filename = f"rapport-annuel-{year.start.year}-{year.end.year}"
    fmt = request.GET.get("format", "html")
    if fmt == "xlsx":
        return export_response(
            request,
            tables,
            what="annual_report",
            fmt="xlsx",
            filename=filename,
            details={"year": year.label},
        )
    if fmt == "csv":
        table = next((t for t in tables if t.slug == request.GET.get("table")), None)
        if table is None:
            raise Http404
        return export_response(
            request,
            table,
            what="annual_report",
            filename=f"{filename}-{table.slug}",
            details={"year": year.label, "table": table.slug},
        )
    years = list(range(current.start.year, current.start.year - 5, -1))
    return render(
        request,
        "reports/annual_report.html",
        {"report": report, "tables": tables, "years": years},
    )
