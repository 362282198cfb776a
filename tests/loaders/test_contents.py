"""loaders.contents: a printed table of contents set aside, its lines still accounted for.

The excerpts are lines of the development corpus's PDFs as ``policykg text`` prints them
(../shared/corpus/dual-carbon, line numbers and pages of the whole file); a body's headings
far from its contents are taken with their real numbers, the lines between left out.
"""

from __future__ import annotations

import doctest
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from policykg.loaders import contents
from policykg.loaders.contents import find_contents, set_aside_contents
from policykg.loaders.furniture import clean_pdf
from policykg.loaders.lines import CleanedLines, FurnitureKind, join_paragraphs
from policykg.loaders.pdf import PdfPage, PdfText
from policykg.loaders.sections import parse_sections
from policykg.records import Section, SourceLine

Lines = Callable[[int, int], list[SourceLine]]
Row = tuple[int, int, str]

# 191、山东省能源科技创新“十四五”规划.pdf: the contents (p4-p5, lines 38-62) print no
# leaders or page numbers; the body opens at line 64 with the first entry again.
SHANDONG_191: list[Row] = [
    (34, 3, "撑平台 ”等三大科技重点任务及配套政策措施。《规划》以2020"),
    (35, 3, "年为基准年，规划期为2021-2025年。《规划》实施过程中，根据"),
    (36, 3, "经济社会发展变化情况，适时进行调整和修编。"),
    (38, 4, "目录"),
    (39, 4, "第一章能源科技发展基础与形势"),
    (40, 4, "一、发展基础"),
    (41, 4, "二、存在问题与面临形势"),
    (42, 4, "第二章指导思想、基本原则和发展目标"),
    (43, 4, "一、指导思想"),
    (44, 4, "二、基本原则"),
    (45, 4, "三、发展目标"),
    (46, 4, "第三章重点任务"),
    (47, 4, "一、实施四大提升工程，增强科技创新实力"),
    (48, 4, "二、打造四大创新高地，助力重点基地建设"),
    (49, 4, "三、建设三大支撑平台，夯实科技创新基础"),
    (50, 4, "第四章政策措施"),
    (51, 4, "一、加强政策支持"),
    (52, 4, "二、健全创新体系"),
    (53, 4, "三、优化发展环境"),
    (54, 4, "四、深化示范应用"),
    (55, 4, "五、健全标准体系"),
    (56, 4, "六、强化交流合作"),
    (57, 4, "七、加强人才培养"),
    (59, 5, "第五章组织实施"),
    (60, 5, "一、加强组织领导"),
    (61, 5, "二、强化统筹协调"),
    (62, 5, "三、健全评估机制"),
    (64, 6, "第一章能源科技发展基础与形势"),
    (65, 6, "—、发展基础"),
    (66, 6, "“十三五”以来，全省能源科技装备体系不断完善，科技综合"),
    (67, 6, "实力不断提高，创新发展基础不断夸实，为全省能源行业高质量"),
    (68, 6, "发展提供了重要支撑。"),
    (69, 6, "（一）科技水平稳步提升。煤矿开采技术居全国前列，开采、掘进"),
    (173, 11, "第二章指导思想、基本原则和发展目标"),
    (174, 11, "一、指导思想"),
    (236, 14, "第三章重点任 务"),
    (237, 14, "围绕全省能源行业发展重大需求，着力实施“443”工程（即实施"),
    (827, 34, "第四章政策措施"),
    (875, 36, "第五章组织实施"),
]

# 16、“十四五”现代能源体系规划.pdf: dot leaders and page numbers, two entries glued on
# line 3; the body opens with a paragraph (line 39), and the text layer glues 第二章 to the
# end of line 150.
MODERN_ENERGY_16: list[Row] = [
    (1, 1, "“十四五”现代能源体系规划"),
    (2, 2, "目 录"),
    (3, 2, "第一章 发展环境与形势" + "." * 80 + " 1 一、全球能源体系深刻变革" + "." * 68 + " 1"),
    (4, 2, "二、我国步入构建现代能源体系的新阶段" + "." * 44 + "3"),
    (5, 2, "第二章 指导方针和主要目标" + "." * 72 + " 5"),
    (6, 2, "三、指导思想" + "." * 77 + "5"),
    (7, 2, "四、基本原则" + "." * 77 + "6"),
    (8, 2, "五、发展目标" + "." * 77 + "7"),
    (39, 4, "能源是人类文明进步的重要物质基础和动力，攸关国计民生"),
    (40, 4, "和国家安全。当今世界，新冠肺炎疫情影响广泛深远，百年未有"),
    (50, 4, "图和行动纲领。"),
    (51, 4, "第一章 发展环境与形势"),
    (52, 4, "经过多年发展，世界能源转型已由起步蓄力期转向全面加速"),
    (58, 4, "战。"),
    (59, 4, "一、全球能源体系深刻变革"),
    (91, 6, "二、我国步入构建现代能源体系的新阶段"),
    (150, 8, "注：①〔〕内为五年累计数。②水电包含常规水电和抽水蓄能电站。"
             " 第二章 指导方针和主要目标"),
    (151, 8, "三、指导思想"),
    (152, 8, "以习近平新时代中国特色社会主义思想为指导，全面贯彻党"),
]

# 108、青海打造国家清洁能源产业高地行动方案.pdf: leaders in an unmapped glyph (U+1001BA),
# full-width page numbers in brackets; the plan's title follows the contents.
_G = "\U001001ba"
QINGHAI_108: list[Row] = [
    (20, 3, "２０２１ 年 ７ 月"),
    (22, 4, "目 录"),
    (23, 4, f"一、 总体要求 {_G * 19} (５ )"),
    (24, 4, f"(一 ) 指导思想 {_G * 17} (５ )"),
    (25, 4, f"(二 ) 基本原则 {_G * 17} (５ )"),
    (26, 4, f"(三 ) 战略定位 {_G * 17} (６ )"),
    (27, 4, f"(四 ) 发展目标 {_G * 17} (７ )"),
    (28, 4, f"二、 以新发展理念引领清洁能源集约化发展 {_G * 6} (８ )"),
    (36, 5, "青海打造国家清洁能源产业高地行动方案"),
    (37, 5, "(２０２１—２０３０ 年 )"),
    (38, 5, "为贯彻落实习近平总书记 “ 打造国家清洁能源产业高地”"),
    (39, 5, "重要指示精神， 实现青海清洁能源高质量发展， 为全国实现碳达"),
    (40, 5, "峰、 碳中和目标作出贡献， 特制定本行动方案。"),
    (41, 5, "一、 总体要求"),
    (42, 5, "(一 ) 指导思想。"),
    (43, 5, "以习近平新时代中国特色社会主义思想为指导， 全面贯彻党"),
    (60, 6, "(二 ) 基本原则。"),
    (80, 6, "(三 ) 战略定位。"),
    (100, 7, "(四 ) 发展目标。"),
    (148, 8, "二、 以新发展理念引领清洁能源集约化发展"),
]

# 58、天津市碳达峰碳中和促进条例.pdf: no leaders; 第一章 of the body right after the
# contents' 第八章 (line 25); the body's 第八章 is glued after the sentence before (368).
TIANJIN_58: list[Row] = [
    (9, 1, "天津市碳达峰碳中和促进条例"),
    (10, 1, "（2021 年 9 月 27 日天津市第十七届人民代表大会常务委员会第二十九次会议通过）"),
    (11, 1, "目 录"),
    (12, 1, "第一章 总 则"),
    (13, 1, "第二章 基本管理制度"),
    (14, 1, "第三章 绿色转型"),
    (15, 1, "第一节 调整能源结构"),
    (16, 1, "第二节 推进产业转型"),
    (17, 1, "第三节 促进低碳生活"),
    (18, 1, "第四章 降碳增汇"),
    (19, 1, "第一节 减少碳排放"),
    (20, 1, "第二节 增加碳汇"),
    (21, 1, "第五章 科技创新"),
    (22, 1, "第六章 激励措施"),
    (23, 1, "第七章 法律责任"),
    (24, 1, "第八章 附 则"),
    (25, 1, "第一章 总 则"),
    (26, 1, "第一条 为了促进实现碳达峰、碳中和目标，推动经济社会发展全面绿色转型，"
            "推进生态文明建设，根据有关法律、"),
    (27, 1, "行政"),
    (28, 1, "法规，结合本市实际，制定本条例。"),
    (29, 1, "第二条 本条例适用于本市行政区域内促进实现碳达峰、碳中和目标的相关活动。"),
    (69, 3, "第二章 基本管理制度"),
    (116, 4, "第三章 绿色转型"),
    (368, 12, "任。第八章 附 则"),
    (369, 12, "第八十二条 本条例自 2021 年 11 月 1 日起施行。"),
]


def _lines(rows: Sequence[Row]) -> list[SourceLine]:
    return [SourceLine(number=n, page=p, text=t) for n, p, t in rows]


def _cleaned(rows: Sequence[Row]) -> CleanedLines:
    lines = _lines(rows)
    return CleanedLines(file="x.pdf", total_lines=rows[-1][0], lines=tuple(lines),
                        artifacts=(), blank_lines=0, page_starts=frozenset(),
                        fresh=frozenset({lines[0].number}), pages=rows[-1][1])


def _sections(rows: Sequence[Row]) -> tuple[Section, ...]:
    kept = set_aside_contents(_cleaned(rows)).lines
    return parse_sections("d", join_paragraphs(kept), rows[-1][0])


def _top(sections: Sequence[Section]) -> list[tuple[int, str, str]]:
    return [(s.start_line, s.marker, s.heading) for s in sections if s.level == 1]


def test_doctests() -> None:
    assert doctest.testmod(contents).failed == 0


def test_contents_without_leaders_191() -> None:
    (found,) = find_contents(_lines(SHANDONG_191))
    assert found.head == 38
    assert found.lines == (38, *range(39, 58), *range(59, 63))
    assert found.entries[:3] == (
        "第一章能源科技发展基础与形势", "一、发展基础", "二、存在问题与面临形势")


def test_outline_opens_at_the_body_191() -> None:
    # before: the contents' 第一章 (line 39) opened the outline and the body nested under
    # its 第五章 (line 59)
    assert _top(_sections(SHANDONG_191)) == [
        (64, "第一章", "能源科技发展基础与形势"),
        (173, "第二章", "指导思想、基本原则和发展目标"),
        (236, "第三章", "重点任 务"),
        (827, "第四章", "政策措施"),
        (875, "第五章", "组织实施"),
    ]


def test_leaders_page_numbers_and_glued_entries_16() -> None:
    (found,) = find_contents(_lines(MODERN_ENERGY_16))
    assert (found.head, found.lines) == (2, (2, 3, 4, 5, 6, 7, 8))
    assert found.entries[:3] == ("第一章 发展环境与形势", "一、全球能源体系深刻变革",
                                 "二、我国步入构建现代能源体系的新阶段")
    top = _sections(MODERN_ENERGY_16)
    assert _top(top) == [(51, "第一章", "发展环境与形势")]
    assert [(s.start_line, s.level, s.marker) for s in top[1:]] == [
        (59, 2, "一、"), (91, 2, "二、"), (151, 2, "三、")]


def test_glyph_leaders_and_the_title_after_them_108() -> None:
    cleaned = set_aside_contents(_cleaned(QINGHAI_108))
    assert [f.line for f in cleaned.furniture] == list(range(22, 29))
    # the plan's title after the contents stays, and opens a paragraph of its own
    assert [s.number for s in cleaned.lines][:3] == [20, 36, 37]
    assert 36 in cleaned.fresh
    assert _top(_sections(QINGHAI_108)) == [
        (41, "一、", "总体要求"), (148, "二、", "以新发展理念引领清洁能源集约化发展")]


def test_the_body_repeating_the_first_entry_ends_the_contents_58() -> None:
    (found,) = find_contents(_lines(TIANJIN_58))
    # 第八章 附 则 (24) is printed again only glued after a sentence (368): still an entry
    assert (found.head, found.lines[-1]) == (11, 24)
    assert _top(_sections(TIANJIN_58)) == [
        (25, "第一章", "总 则"), (69, "第二章", "基本管理制度"), (116, "第三章", "绿色转型")]


def test_a_body_without_contents_is_unchanged_191() -> None:
    body = [r for r in SHANDONG_191 if r[0] >= 64]
    cleaned = _cleaned(body)
    assert find_contents(cleaned.lines) == []
    assert set_aside_contents(cleaned) is cleaned


def test_mulu_ending_a_sentence_is_no_head_310() -> None:
    # 310、深圳市…扶持计划申报指南的通知.pdf, p4: "…产品目录等" / "目录。"
    rows = [
        (78, 4, "省、市能效“领跑者”和水效“领跑者”称号。"),
        (79, 4, "5.工业和通信业节能技术装备产品示范：申报单位有产"),
        (80, 4, "品列入国家、省、市工业和通信业节能技术装备产品目录等"),
        (81, 4, "目录。"),
        (82, 4, "6.绿色工厂：申报单位已获国家、省、市绿色工厂称号。"),
        (83, 4, "7.绿色产品：申报单位已获国家、省、市绿色产品称号。"),
    ]
    assert find_contents(_lines(rows)) == []


def test_a_list_of_catalogues_under_mulu_is_no_contents() -> None:
    # 目录 alone on a line, wrapped from a sentence, above a list of the catalogues a
    # notice names (titles of the compilation's lines 9078-9080, 11837-11839); the body
    # cites them inside its sentences, never opening one
    rows = [
        (1, 1, "各地要按照《产业结构调整指导目录》等规定，淘汰落后工艺，依法发布"),
        (2, 1, "目录"),
        (3, 1, "1.《产业结构调整指导目录》"),
        (4, 1, "2.《绿色技术推广目录》"),
        (5, 1, "3.《工业节能技术推荐目录》"),
        (6, 1, "鼓励企业采用《绿色技术推广目录》《工业节能技术推荐目录》等提出的先进技术装备。"),
        (7, 1, "修订《产业结构调整指导目录》《绿色技术推广目录》。"),
    ]
    assert find_contents(_lines(rows)) == []


def test_a_document_printed_as_its_contents_keeps_them(source_lines: Lines) -> None:
    # the compilation prints only the contents of 中国落实国家自主贡献成效和新目标新举措
    # ("（目录）", line 47628): nothing after repeats them, they are the document
    assert find_contents(source_lines(47626, 47760)) == []


def test_every_line_still_accounted_for_191() -> None:
    """Pages 3-6 of 191 as the text layer gives them: the contents are furniture."""
    by_page: dict[int, list[str]] = {}
    for n, p, t in SHANDONG_191:
        if n <= 69:
            by_page.setdefault(p, []).append(t)
    by_page[3].append("-1—")
    by_page[4].append("—2—")
    by_page[5].append("-3-")
    pdf = PdfText(file="191.pdf", pages=tuple(
        PdfPage(number=p, lines=tuple(lines)) for p, lines in sorted(by_page.items())))
    plain = clean_pdf(pdf)
    cleaned = set_aside_contents(plain)
    whole = [f for f in cleaned.furniture if not f.partial]
    assert cleaned.total_lines == len(cleaned.lines) + cleaned.blank_lines + len(whole)
    assert sorted(f.line for f in whole) == list(cleaned.artifacts)
    kinds = [f.kind for f in whole]
    assert kinds.count(FurnitureKind.CONTENTS) == 24  # 目录 and 23 entries
    assert kinds.count(FurnitureKind.PAGE_NUMBER) == 3
    # the body's first line is the first kept line of its page
    body = next(s for s in cleaned.lines if s.text.startswith("第一章"))
    assert body.page == 6
    assert body.number in cleaned.page_starts
    assert len(plain.lines) - len(cleaned.lines) == 24


def test_a_text_file_sets_its_contents_aside_and_counts_them(tmp_path: Path) -> None:
    """A .txt file is read as a PDF is: 58's contents and body, one line each."""
    from policykg.cli import _files_summary
    from policykg.loaders.documents import read_file
    from policykg.loaders.source import InputFile, list_lines
    from policykg.records import Corpus

    path = tmp_path / "tianjin.txt"
    path.write_text("\n".join(t for n, _, t in TIANJIN_58 if n <= 116) + "\n", encoding="utf-8")
    loaded = read_file(InputFile(path=path, source_file=path.name))
    (summary,) = loaded.summaries
    assert summary.furniture == (("contents", 14),)
    assert summary.total_lines == (summary.document_lines + summary.structure_lines
                                   + summary.blank_lines + summary.artifact_lines
                                   + summary.unexplained_lines)
    assert summary.artifact_lines == 14
    assert [v.status for v in list_lines(path)].count("contents") == 14
    (doc,) = loaded.documents
    assert doc.sections[0].start_line == 17  # 第一章 总 则 of the body, the file's line 17
    out = io.StringIO()
    _files_summary(Corpus(documents=(), summary=loaded.summaries), out)
    assert out.getvalue().splitlines()[1] == "  of the page artifacts: contents: 14"
