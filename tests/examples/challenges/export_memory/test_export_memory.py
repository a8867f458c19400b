"""The bookings export before and after streaming (docs/challenges/export-ran-out-of-memory.md):
the same bytes; a peak of Python memory that grows with the table before the fix and stays flat
after it; where the memory went; and when the export's query runs.

Peaks are measured with tracemalloc around a whole download through Django's test client (the
middleware included), after a warm-up request, so imports and caches are not counted. Peaks are
rendered to the nearest half MiB: the streamed peak moves a little from run to run, and rounded to
0.1 MiB it was recorded as 1.4 and once measured 1.5. File sizes do not move and
keep 0.1 MiB. The claims themselves (linear growth, a flat peak) are asserted on the exact bytes.
"""

from __future__ import annotations

import csv
import io

import pytest

from challenges.export_memory import after
from challenges.export_memory.after import COLUMNS
from challenges.export_memory.before import HEADER
from challenges.export_memory.investigate import download, held_memory, peak_memory
from measurements import matches_recorded
from travel.models import Booking

MEASURED = "examples/challenges/export_memory/measured"
SIZES = (2_000, 4_000, 8_000)  # each at least two chunks of after.CHUNK_SIZE rows
CHUNK_SIZES = (250, 500, 1_000)
MIB = 1024 * 1024


def url(version: str) -> str:
    return f"/{version}/bookings.csv"


def mib(size: float) -> str:
    return f"{size / MIB:.1f} MiB"


def peak_mib(peak: int) -> str:
    return f"{round(peak / MIB * 2) / 2:.1f} MiB"


def measure(client, version: str):
    """(Download, peak bytes) of one download of the export."""
    return peak_memory(lambda: download(client, url(version)))


def warm_up(client) -> None:
    for version in ("before", "after"):  # imports, the URL resolver, coverage's own records
        measure(client, version)


def test_the_streamed_file_is_byte_for_byte_the_first_versions_file(staff_client, bookings):
    bookings(2_500)  # three chunks, the last one short
    first = staff_client.get(url("before"))
    streamed = staff_client.get(url("after"))
    assert (first.streaming, streamed.streaming) == (False, True)
    body = b"".join(streamed.streaming_content)
    assert body == first.content
    for header in ("Content-Type", "Content-Disposition"):
        assert streamed[header] == first[header]
    # CommonMiddleware gives the buffered response a Content-Length; a stream has none to give.
    assert first.has_header("Content-Length") and not streamed.has_header("Content-Length")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 2_500
    assert [row[2] for row in rows[1:4]] == ["Guest, with a comma", 'Guest "quoted"', "Gäst Ünïcode"]
    assert b'"Guest, with a comma"' in body and b'"Guest ""quoted"""' in body  # csv.writer quoted them


def test_a_streamed_response_has_no_content_for_middleware_to_read(staff_client, bookings):
    bookings(10)
    response = staff_client.get(url("after"))
    with pytest.raises(AttributeError, match="streaming_content"):
        response.content  # noqa: B018 - reading it is the test
    b"".join(response.streaming_content)


def test_only_staff_may_download(client, bookings):
    bookings(10)
    for version in ("before", "after"):
        response = client.get(url(version))
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_peak_memory_grows_with_the_table_before_and_stays_flat_after(staff_client, bookings):
    bookings(100)
    warm_up(staff_client)
    measured = []  # (bookings, file size, peak before, peak after)
    for size in SIZES:
        bookings(size)
        (first, before), (streamed, after_) = measure(staff_client, "before"), measure(staff_client, "after")
        assert (first.streamed, streamed.streamed) == (False, True)
        assert (first.size, first.sha256) == (streamed.size, streamed.sha256)  # the same bytes
        measured.append((size, first.size, before, after_))

    (small, _, before_small, _), (middle, _, before_middle, _), (large, file_large, before_large, _) = measured
    afters = [peak for *_, peak in measured]
    # Before: linear. Each added booking costs the same memory from 2,000 to 4,000 as from 4,000 to 8,000.
    first_slope = (before_middle - before_small) / (middle - small)
    second_slope = (before_large - before_middle) / (large - middle)
    assert abs(first_slope - second_slope) < 0.05 * second_slope
    # After: the same peak within 2% at every size, and a small part of the first version's at the largest.
    assert max(afters) - min(afters) < 0.02 * max(afters)
    assert afters[-1] < before_large / 5

    symptom = ["| Bookings in the table | CSV file | Peak Python memory of one download |",
               "| ---: | ---: | ---: |",
               *(f"| {size:,} | {mib(file)} | {peak_mib(before)} |" for size, file, before, _ in measured),
               "",
               f"Each booking added about {second_slope / 1024:.1f} KiB to the peak, for a line of "
               f"{file_large / large:.0f} bytes in the file: at {large:,} bookings the download needed "
               f"about {before_large / file_large:.0f} times the size of the file it sent.", ""]
    assert matches_recorded(f"{MEASURED}/symptom.md", "\n".join(symptom))
    result = ["| Bookings in the table | CSV file | Peak, first version | Peak, streamed |",
              "| ---: | ---: | ---: | ---: |",
              *(f"| {size:,} | {mib(file)} | {peak_mib(before)} | {peak_mib(after_)} |"
                for size, file, before, after_ in measured), ""]
    assert matches_recorded(f"{MEASURED}/peak-memory.md", "\n".join(result))


def test_the_streamed_peak_follows_the_chunk_size_not_the_table(staff_client, bookings, monkeypatch):
    bookings(SIZES[0])
    warm_up(staff_client)
    peaks = []
    for chunk_size in CHUNK_SIZES:
        monkeypatch.setattr(after, "CHUNK_SIZE", chunk_size)  # the view reads it on every request
        _, peak = measure(staff_client, "after")
        peaks.append(peak)
    assert peaks == sorted(peaks) and peaks[-1] > 2 * peaks[0]
    table = ["| `chunk_size` | Peak, streamed |", "| ---: | ---: |",
             *(f"| {chunk_size:,} | {peak_mib(peak)} |"
               for chunk_size, peak in zip(CHUNK_SIZES, peaks, strict=True)), ""]
    assert matches_recorded(f"{MEASURED}/chunk-size.md", "\n".join(table))


def test_where_the_memory_of_the_first_version_goes(staff_client, bookings):
    size = SIZES[0]
    bookings(size)
    body = staff_client.get(url("before")).content
    queryset = Booking.objects.order_by("id")
    list(queryset.select_related("listing")[:10]), list(queryset.values_list(*COLUMNS)[:10])  # warm-up
    instances = held_memory(lambda: list(queryset.select_related("listing")))
    tuples = held_memory(lambda: list(queryset.values_list(*COLUMNS)))
    assert instances > 1.5 * tuples > 3 * len(body)
    # select_related builds one Listing object per booking, even though 20 listings are shared.
    bookings_with_listings = list(queryset.select_related("listing")[:100])
    assert len({id(b.listing) for b in bookings_with_listings}) == 100
    assert len({b.listing.pk for b in bookings_with_listings}) == 20

    def per_booking(held: int) -> str:  # to the nearest 10 bytes: the last digits vary with the allocator
        return f"{round(held / size, -1):,.0f} bytes"

    table = [f"| What stays in memory, per booking (measured over {size:,}) | Traced memory |",
             "| --- | ---: |",
             f"| a `Booking` instance and its own `Listing` instance (`list(queryset)` with `select_related`) "
             f"| {per_booking(instances)} |",
             f"| a tuple of the 11 exported values (`list(queryset.values_list(...))`) | {per_booking(tuples)} |",
             f"| its line in the CSV file (the file's bytes per booking, not traced memory) "
             f"| {len(body) / size:.0f} bytes |", ""]
    assert matches_recorded(f"{MEASURED}/memory-per-booking.md", "\n".join(table))
