"""What a user may type differently, folded: full-width forms, spaces, quotes, brackets.

At the bottom with the records (standard library only), so that a cold ``duties`` folds a
jurisdiction without importing the lookup functions and the record classes.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["DOC_NUMBER", "normalize"]

# Brackets a 文号 is printed with: 国发〔2021〕4号, 国发[2021]4号, 国发（2021）4号, 国发【2021】4号
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕",
                           "(": "〔", ")": "〕", "（": "〔", "）": "〕", "﹝": "〔", "﹞": "〕"})
# A 文号 as a user types it: 中发〔2021〕36号, 国发[2021]4号
DOC_NUMBER = re.compile(r"\S+〔\d{4}〕\s*\d+\s*号")
_SPACE = re.compile(r"\s+")
_QUOTES = "《》〈〉“”\"'‘’"


def normalize(text: str) -> str:
    """Fold what a user may type differently: full-width forms, spaces, quotes, brackets.

    >>> normalize("《２０３０年前碳达峰 行动方案》")
    '2030年前碳达峰行动方案'
    >>> normalize("国发[2021]4号")
    '国发〔2021〕4号'
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = _SPACE.sub("", folded).strip(_QUOTES)
    if DOC_NUMBER.fullmatch(folded.translate(_BRACKETS)):
        return folded.translate(_BRACKETS)
    return folded
