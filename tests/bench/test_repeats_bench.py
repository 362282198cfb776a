"""``bench.repeats`` (the 425,000-copies figure of README) still runs and counts right."""

from __future__ import annotations

from bench.repeats import measure, short_policy


def test_the_short_policy_is_the_notice_title_number_and_sign_off() -> None:
    assert short_policy().splitlines() == [
        "关于加快建立健全绿色低碳循环发展经济体系的指导意见", "国发〔2021〕4号", "国务院",
        "2021年2月2日"]


def test_measure_reports_one_document_and_each_repeat() -> None:
    line = measure(short_policy(), 3000)
    assert "3,000 copies of 4 lines" in line
    assert line.endswith(
        "1 document, 2,999 L006, lines 12,000 = 4 in documents + 11,996 repeated")
