"""The side files' existence filter (search/engine/formfilter.py) on real side files."""
import zlib

from search.engine import vocabulary as V
from search.engine.formfilter import FormFilter

FORMS = ["بوتين", "وبوتين", "الجزائر", "abc", "x", "2024", "مكتبة", "والمكتبات",
         "كلمةطويلةجدا" * 5, "ء", "\U0001F600"] + [f"كلمة{i}" for i in range(300)]


def _table(tmp_path, segid, forms):
    path = V.write_side_file(tmp_path, segid, [(f, i + 1) for i, f in enumerate(forms)])
    table = V._open_side_file(path, segid)
    assert isinstance(table, V._FileTable)
    return table


def test_form_crcs_are_zlib_crc32_of_every_recorded_form(tmp_path):
    table = _table(tmp_path, "seg1", FORMS)
    crcs = table.form_crcs()
    assert sorted(int(c) for c in crcs) == sorted(zlib.crc32(f.encode("utf-8")) for f in FORMS)
    assert table.form_crcs() is crcs  # computed once per segment
    empty = _table(tmp_path, "seg0", [])
    assert len(empty.form_crcs()) == 0


def test_filter_never_rules_out_a_recorded_form_and_rules_out_most_others(tmp_path):
    one = _table(tmp_path, "seg1", FORMS[:150])
    two = _table(tmp_path, "seg2", FORMS[100:])
    found = FormFilter([one.form_crcs(), two.form_crcs()])
    assert all(found.may_hold(zlib.crc32(f.encode("utf-8"))) for f in FORMS)
    absent = [f"غائب{i}" for i in range(2000)]
    let_through = sum(found.may_hold(zlib.crc32(f.encode("utf-8"))) for f in absent)
    assert let_through < 0.1 * len(absent)
    assert not FormFilter([]).may_hold(zlib.crc32(b"x"))


def test_vocabulary_answers_the_same_with_the_filter(tmp_path):
    """df/dfs over two side files equal the per-table sums; absent forms are
    answered by the filter without a memo entry."""
    vocab = V.Vocabulary([_table(tmp_path, "seg1", FORMS[:150]), _table(tmp_path, "seg2", FORMS[100:])])
    asked = FORMS + [f"غائب{i}" for i in range(200)]
    expected = [sum(t.df(f, f.encode("utf-8")) for t in vocab.tables) for f in asked]
    assert expected[FORMS.index("كلمة109")] == 121 + 21  # in both segments
    assert vocab.dfs(asked) == expected == [vocab.df(f) for f in asked]
    assert len(vocab._memo) == len(FORMS)  # the absent forms cost no memo entry


def test_side_files_with_an_in_memory_table(tmp_path):
    """A segment whose side file could not be written (a dict table) beside
    side files: the dict is always asked, the side files only past the filter."""
    memory = V._dict_table([("بوتين", 5), ("كييف", 3)])
    vocab = V.Vocabulary([_table(tmp_path, "seg1", ["بوتين", "موسكو"]), memory])
    asked = ["بوتين", "موسكو", "كييف", "غائب"]
    assert vocab.dfs(asked) == [6, 2, 3, 0] == [vocab.df(f) for f in asked]
