"""English stop words: function words and words that say nothing about a topic or an activity.

Shared by the pilot keyword table and the case classifier, so both drop the same words.
"""

# English function words (articles, pronouns, prepositions, conjunctions, auxiliaries, frequent
# adverbs) and words that carry no sign of what kind of activity is meant.
ENGLISH = frozenset(
    """a about above after again against all almost along already although always am among an and another
    any anyone anything are around as at be became because become becomes been before being below besides
    between both but by can cannot could did do does doing done down during each either else enough even
    ever every for from further had has have having he her here hers herself him himself his how however i
    if in into is it its itself least less may me might more most much must my myself neither never no nor
    not now of off often on once only onto or other others otherwise our ours ourselves out over own per
    perhaps quite rather same she should since so some such than that the their theirs them themselves then
    there therefore these they this those though through throughout thus to together too toward towards
    under until up upon us very was we were what whatever when whenever where whereas wherever whether which
    while who whoever whom whose why will with within without would yet you your yours yourself yourselves
    also etc e.g eg ie i.e via using use used uses make makes made making way ways thing things one two
    three four five first second third later many several various different new old year years time times
    able well like just really s t d""".split()  # noqa: SIM905
)
