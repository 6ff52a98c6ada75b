"""Words to features for the case classifier: fold, split, drop stop words, stem lightly.

Stemming is Porter's (1980) algorithm, written out here so that no extra dependency is needed:
"supplies", "supplied" and "supplying" all become "suppli".
Features are the content stems and the pairs of neighbouring content stems ("waste heat").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from slr import stopwords

STOP_WORDS = stopwords.ENGLISH

_TOKEN = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")

# ---------------------------------------------------------------- Porter (1980) stemmer

_VOWELS = frozenset("aeiou")


def _is_cons(word: str, i: int) -> bool:
    ch = word[i]
    if ch in _VOWELS:
        return False
    if ch == "y":
        return i == 0 or not _is_cons(word, i - 1)
    return True


def _measure(stem_: str) -> int:
    """m in [C](VC)^m[V]: the number of vowel-consonant sequences."""
    m, prev_vowel = 0, False
    for i in range(len(stem_)):
        cons = _is_cons(stem_, i)
        if cons and prev_vowel:
            m += 1
        prev_vowel = not cons
    return m


def _has_vowel(stem_: str) -> bool:
    return any(not _is_cons(stem_, i) for i in range(len(stem_)))


def _double_cons(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _is_cons(word, len(word) - 1)


def _cvc(word: str) -> bool:
    if len(word) < 3:
        return False
    return (
        _is_cons(word, len(word) - 3)
        and not _is_cons(word, len(word) - 2)
        and _is_cons(word, len(word) - 1)
        and word[-1] not in "wxy"
    )


def _replace(word: str, rules: tuple[tuple[str, str], ...], min_m: int) -> str:
    for suffix, repl in rules:
        if word.endswith(suffix):
            base = word[: len(word) - len(suffix)]
            return base + repl if _measure(base) > min_m else word
    return word


_STEP2 = (
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
)
_STEP3 = (
    ("icate", "ic"),
    ("ative", ""),
    ("alize", "al"),
    ("iciti", "ic"),
    ("ical", "ic"),
    ("ful", ""),
    ("ness", ""),
)
_STEP4 = (
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
)


def porter(word: str) -> str:
    if len(word) <= 2:
        return word
    w = word
    # Step 1a: plurals.
    if w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("ss"):
        pass
    elif w.endswith("s"):
        w = w[:-1]
    # Step 1b: -eed, -ed, -ing.
    extra = False
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") and _has_vowel(w[:-2]):
        w, extra = w[:-2], True
    elif w.endswith("ing") and _has_vowel(w[:-3]):
        w, extra = w[:-3], True
    if extra:
        if w.endswith(("at", "bl", "iz")):
            w += "e"
        elif _double_cons(w) and w[-1] not in "lsz":
            w = w[:-1]
        elif _measure(w) == 1 and _cvc(w):
            w += "e"
    # Step 1c: y -> i after a vowel in the stem.
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    w = _replace(w, _STEP2, 0)
    w = _replace(w, _STEP3, 0)
    # Step 4: drop a suffix when the rest is long enough (m > 1).
    for suffix in sorted(_STEP4, key=len, reverse=True):
        if w.endswith(suffix):
            base = w[: len(w) - len(suffix)]
            if _measure(base) > 1 and (suffix != "ion" or base.endswith(("s", "t"))):
                w = base
            break
    # Step 5: final -e and -ll.
    if w.endswith("e"):
        base = w[:-1]
        m = _measure(base)
        if m > 1 or (m == 1 and not _cvc(base)):
            w = base
    if _measure(w) > 1 and _double_cons(w) and w.endswith("l"):
        w = w[:-1]
    return w


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter's stem of a folded word (supplies/supplied/supplying -> suppli)."""
    if word.isdigit() or "&" in word:
        return word
    return porter(word)


def fold_text(text: str) -> str:
    value = unicodedata.normalize("NFKD", text)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.casefold().replace("’", "'")
    value = re.sub(r"'s\b", "", value)
    return value.replace("-", " ").replace("/", " ")


_BRITISH = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations|er|ers)$")
_OUR = re.compile(r"(?<=[a-z]{3})our(s|ed|ing|able)?$")
_SPELLING = {
    "programme": "program",
    "programmes": "programs",
    "centre": "center",
    "centres": "centers",
    "licence": "license",
    "licences": "licenses",
    "tonne": "ton",
    "tonnes": "tons",
    "aluminium": "aluminum",
    "sulphur": "sulfur",
    "modelling": "modeling",
    "fibre": "fiber",
    "fibres": "fibers",
}


def american(token: str) -> str:
    """One spelling for British and American forms (organise/organize, harbour/harbor)."""
    token = _SPELLING.get(token, token)
    token = _BRITISH.sub(r"iz\1", token)
    return _OUR.sub(lambda m: "or" + (m.group(1) or ""), token)


def content_stems(text: str) -> list[str]:
    """The text's content words, stemmed, in order (stop words and numbers dropped)."""
    out = []
    for tok in _TOKEN.findall(fold_text(text)):
        if tok in STOP_WORDS or tok.isdigit() or len(tok) < 2:
            continue
        out.append(stem(american(tok)))
    return out


def features(text: str, bigrams: bool = True) -> Counter[str]:
    """Stems and neighbouring stem pairs ("wast heat"), counted."""
    stems = content_stems(text)
    counts: Counter[str] = Counter(stems)
    if bigrams:
        counts.update(f"{a} {b}" for a, b in itertools.pairwise(stems))
    return counts


def phrase_features(phrase: str, part_weight: float = 0.5) -> list[tuple[str, float]]:
    """The features a codebook term stands for, with a weight factor.

    A one-word term is its stem (factor 1). A multi-word term is its stem pairs (factor 1) and its
    single stems at ``part_weight``: "waste management law" is mainly about the phrase, and only a
    little about "management" on its own.
    """
    stems = content_stems(phrase)
    if len(stems) <= 1:
        return [(s, 1.0) for s in stems]
    pairs = [(f"{a} {b}", 1.0) for a, b in itertools.pairwise(stems)]
    return [*((s, part_weight) for s in stems), *pairs]


def surfaces(text: str) -> dict[str, str]:
    """For each stem, the first word of the text that gave it (to show evidence in the text's words)."""
    out: dict[str, str] = {}
    for tok in _TOKEN.findall(fold_text(text)):
        if tok in STOP_WORDS or tok.isdigit() or len(tok) < 2:
            continue
        out.setdefault(stem(american(tok)), tok)
    return out
