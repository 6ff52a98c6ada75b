"""Loading and checking a case folder: every bad file stops with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from slr.case.data import levels, load_activities, load_case
from slr.errors import InputError

REPO = Path(__file__).resolve().parent.parent

ACTIVITIES = """id,phase,order,activity,actors,description
x1,prep,t1,Passing a law,State,"The state passes a law."
x2,prep,t2,Laying a pipe,Firm,"The firm lays a pipe."
x3,run,t3,Selling steam,Firm; Town,"Steam is sold to the town."
"""
ACTORS = """actor,level,sector
State,national,public
Town,municipal,public
Firm,company,private
"""
LINKS = """from,to
x2,x1
x3,x2
"""


def make_case(tmp_path: Path, activities: str = ACTIVITIES, actors: str = ACTORS, links: str | None = LINKS) -> Path:
    folder = tmp_path / "demo"
    folder.mkdir(exist_ok=True)
    (folder / "activities.csv").write_text(activities, encoding="utf-8")
    (folder / "actors.csv").write_text(actors, encoding="utf-8")
    if links is not None:
        (folder / "links.csv").write_text(links, encoding="utf-8")
    return folder


def error_of(folder: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_case(folder)
    return info.value


def test_good_case_loads(tmp_path):
    case = load_case(make_case(tmp_path))
    assert [a.id for a in case.activities] == ["x1", "x2", "x3"]
    assert case.activities[2].actors == ("Firm", "Town")
    assert [a.order for a in case.activities] == [1.0, 2.0, 3.0]
    assert case.actors["Town"].depth < case.actors["Firm"].depth
    assert [(lk.source, lk.target) for lk in case.links] == [("x2", "x1"), ("x3", "x2")]


def test_links_file_is_optional(tmp_path):
    assert load_case(make_case(tmp_path, links=None)).links == []


def test_levels_run_from_widest_to_most_local():
    order = levels()
    assert order.index("national") < order.index("municipal") < order.index("district") < order.index("park")
    assert order.index("park") < order.index("company")


def test_qijiang_case_of_the_paper_loads():
    case = load_case(REPO / "data" / "cases" / "qijiang")
    assert len(case.activities) == 10
    assert {a.gold_anchoring for a in case.activities} == {"physical", "institutional"}


def test_unknown_actor(tmp_path):
    err = error_of(make_case(tmp_path, activities=ACTIVITIES.replace("Firm; Town", "Firm; Village")))
    assert err.path.endswith("activities.csv") and err.line == 4 and "Village" in err.problem


def test_unknown_level(tmp_path):
    err = error_of(make_case(tmp_path, actors=ACTORS.replace("municipal", "galactic")))
    assert err.path.endswith("actors.csv") and err.line == 3 and "level" in err.problem
    assert "national" in err.fix


def test_link_to_unknown_activity(tmp_path):
    err = error_of(make_case(tmp_path, links=LINKS + "x3,x9\n"))
    assert err.path.endswith("links.csv") and err.line == 4 and "x9" in err.problem


def test_duplicated_id(tmp_path):
    err = error_of(make_case(tmp_path, activities=ACTIVITIES + 'x2,run,t4,Again,Firm,"Twice."\n'))
    assert err.path.endswith("activities.csv") and err.line == 5 and "x2" in err.problem and "line 3" in err.problem


def test_cycle_in_links(tmp_path):
    same_time = ACTIVITIES.replace(",t2,", ",t1,").replace(",t3,", ",t1,")
    err = error_of(make_case(tmp_path, activities=same_time, links=LINKS + "x1,x3\n"))
    assert err.path.endswith("links.csv") and "cycle" in err.problem
    assert "x1" in err.problem and "x2" in err.problem and "x3" in err.problem


def test_link_pointing_forward_in_time(tmp_path):
    err = error_of(make_case(tmp_path, links="from,to\nx1,x3\n"))
    assert err.path.endswith("links.csv") and err.line == 2 and "later" in err.problem


def test_self_link_and_duplicate_link(tmp_path):
    assert "itself" in error_of(make_case(tmp_path, links="from,to\nx2,x2\n")).problem
    err = error_of(make_case(tmp_path, links="from,to\nx2,x1\nx2,x1\n"))
    assert err.line == 3 and "twice" in err.problem


def test_duplicated_actor(tmp_path):
    err = error_of(make_case(tmp_path, actors=ACTORS + "firm,company,private\n"))
    assert err.path.endswith("actors.csv") and err.line == 5


def test_missing_column_is_line_1(tmp_path):
    err = error_of(make_case(tmp_path, actors="actor,sector\nState,public\n"))
    assert err.line == 1 and "level" in err.problem


def test_bad_order_and_bad_gold_label(tmp_path):
    err = error_of(make_case(tmp_path, activities=ACTIVITIES.replace(",t2,", ",soon,")))
    assert err.line == 3 and "order" in err.problem
    gold = ACTIVITIES.replace("description\n", "description,gold_anchoring\n").replace('pipe."', 'pipe.",material')
    err = error_of(make_case(tmp_path, activities=gold))
    assert err.line == 3 and "gold_anchoring" in err.problem


def test_empty_required_cell(tmp_path):
    err = error_of(make_case(tmp_path, activities=ACTIVITIES.replace('"The firm lays a pipe."', "")))
    assert err.line == 3 and "description" in err.problem


def test_missing_actors_file(tmp_path):
    folder = make_case(tmp_path)
    (folder / "actors.csv").unlink()
    assert error_of(folder).path.endswith("actors.csv")


def test_multiline_description_keeps_the_starting_line(tmp_path):
    text = 'id,phase,order,activity,actors,description\nx1,p,1,A,Firm,"two\nlines"\nx1,p,2,B,Firm,dup\n'
    path = tmp_path / "activities.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_activities(path)
    assert info.value.line == 4
