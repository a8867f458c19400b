"""The lazy pipeline pulls one row through every stage before reading the next line."""

from itertools import islice

from generators.pipeline import adult_names

LINES = ["ada,ada@example.com,36", "tim,tim@example.com,12", "grace,grace@example.com,45"]


def test_building_the_pipeline_reads_nothing():
    log = []
    adult_names(LINES, log)
    assert log == []


def test_rows_flow_through_all_stages_one_at_a_time():
    log = []
    assert list(adult_names(LINES, log)) == ["ada", "grace"]
    # Interleaved, not stage by stage: the second line is read only after "ada" came out.
    assert log == [
        "read 'ada,ada@example.com,36'",
        "parsed ada",
        "kept ada",
        "read 'tim,tim@example.com,12'",
        "parsed tim",
        "read 'grace,grace@example.com,45'",
        "parsed grace",
        "kept grace",
    ]


def test_taking_the_first_result_reads_only_the_first_line():
    log = []
    assert list(islice(adult_names(LINES, log), 1)) == ["ada"]
    assert log == ["read 'ada,ada@example.com,36'", "parsed ada", "kept ada"]
