"""Results cross from a worker to its parent as tuples of field values: unpacked, they are the results."""

from __future__ import annotations

import pickle

from ingestion.extract import read_report
from ingestion.results import Fact, ParseResult, pack_result, unpack_result
from tests.conftest import seed_path


def test_a_packed_result_unpacks_equal() -> None:
    for prefix in ("000", "001", "003"):
        result = read_report(seed_path(prefix).read_bytes())
        assert result.facts
        back = unpack_result(pickle.loads(pickle.dumps(pack_result(result))))
        assert back == result
        assert [type(f) for f in back.facts] == [type(f) for f in result.facts]


def test_an_instance_with_more_than_its_fields_travels_whole() -> None:
    class Annotated(Fact):
        pass

    extra = Fact("x", 1.0, False, "件")
    extra.note = "kept"  # type: ignore[attr-defined]
    result = ParseResult(read_report(seed_path("000").read_bytes()).document, [extra, Annotated("y", 2.0, True, "件")])
    back = unpack_result(pack_result(result))
    assert back == result
    assert back.facts[0].note == "kept" and type(back.facts[1]) is Annotated  # type: ignore[attr-defined]
