from pathlib import Path

import pytest
import yaml

from slr import codebook
from slr.errors import InputError

REPO = Path(__file__).resolve().parent.parent
PUBLISHED_CATEGORIES = [
    "Contributing to synergies",
    "Creating infrastructure",
    "Stimulating social interactions",
    "Knowledge support",
    "Political and managerial support",
    "Recruitment",
    "Spearheading projects",
]


@pytest.fixture(scope="module")
def book():
    return codebook.load(REPO / "config" / "codebook.yaml")


def test_taxonomy_matches_table_2(book):
    assert sorted(book.category_names()) == sorted(PUBLISHED_CATEGORIES)
    assert len(book.activities) == 16  # Table 2 lists 16 activities
    assert {a.type for a in book.activities if a.category == "Creating infrastructure"} == {"physical"}
    assert len(book.actors) == 16  # Table 1: 14 private + 2 public organisation types


@pytest.mark.parametrize(
    ("wording", "canonical"),
    [
        ("Recruit other companies for establishment", "Recruit new companies for establishment"),  # Table A1
        ("Set beneficial prices", "Set beneficial prices (e.g., land or energy prices)"),
        ("Act as owner of industrial symbiosis projects", "Act as an owner of industrial symbiosis projects"),
        ("PROVIDE PHYSICAL INFRASTRUCTURES", "Provide physical infrastructures"),
    ],
)
def test_table_a1_wordings_resolve(book, wording, canonical):
    assert book.activity(wording).name == canonical


def test_resolve_code_paths(book):
    assert book.resolve("activity/Recruitment/Promote the area").name == "Promote the area"
    assert book.resolve("Activities\\Recruitment\\Promote the area").name == "Promote the area"
    assert book.resolve("actor/public/Public authority").sector == "public"
    assert book.resolve("activity/Recruitment/Bake bread") is None
    assert book.resolve("nonsense") is None


def test_invalid_codebook_names_the_entry(tmp_path):
    data = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text())
    del data["anchoring_types"]["physical"]["categories"]["Creating infrastructure"]["activities"][0]["terms"]
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match=r"codebook\.yaml:\d+: codebook entry anchoring_types/physical/.*'terms'"):
        codebook.load(path)


def test_duplicate_alias_is_refused(tmp_path):
    data = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text())
    data["actor_types"]["public"][0]["aliases"].append("Power plant")
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError, match="used by both"):
        codebook.load(path)


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("version: 1\nanchoring_types: [\n")
    with pytest.raises(InputError, match=r"codebook\.yaml:\d+: not valid YAML"):
        codebook.load(path)
