"""The codebook: anchoring types -> categories -> activities, and actor types by sector.

Loaded once, validated against ``workflow/schemas/codebook.schema.yaml`` (a copy
ships inside the package), and resolved so that any spelling a coder may use - the
canonical name, an alias, a MAXQDA-style path - maps to one code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from slr.errors import InputError
from slr.records import fold
from slr.yamlfile import YamlFile, line_of, read_yaml


@dataclass(frozen=True)
class Activity:
    name: str
    category: str
    type: str  # anchoring type key, e.g. "physical"
    description: str
    terms: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return f"activity/{self.category}/{self.name}"


@dataclass(frozen=True)
class ActorType:
    name: str
    sector: str
    aliases: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return f"actor/{self.sector}/{self.name}"


@dataclass
class Codebook:
    types: dict[str, dict[str, str]]  # type key -> {"label", "description"}
    categories: dict[str, dict[str, str]]  # category -> {"type", "description"}
    activities: list[Activity]
    actors: list[ActorType]
    _by_key: dict[str, Activity | ActorType] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for act in self.activities:
            for name in (act.name, *act.aliases):
                self._by_key.setdefault(f"activity|{fold(name)}", act)
        for actor in self.actors:
            for name in (actor.name, *actor.aliases):
                self._by_key.setdefault(f"actor|{fold(name)}", actor)

    def activity(self, name: str) -> Activity | None:
        """The activity a name or alias denotes (case, accents and punctuation ignored)."""
        hit = self._by_key.get(f"activity|{fold(name)}")
        return hit if isinstance(hit, Activity) else None

    def actor(self, name: str) -> ActorType | None:
        hit = self._by_key.get(f"actor|{fold(name)}")
        return hit if isinstance(hit, ActorType) else None

    def resolve(self, code: str) -> Activity | ActorType | None:
        """Map a code path (`activity/<category>/<activity>`, `actor/<sector>/<type>`) to its entry.

        The last path element decides (by name or alias); the root says which kind it is.
        """
        parts = [p.strip() for p in code.replace("\\", "/").split("/") if p.strip()]
        if len(parts) < 2:
            return None
        root, leaf = fold(parts[0]), parts[-1]
        if root in ("activity", "activities"):
            return self.activity(leaf)
        if root in ("actor", "actors"):
            return self.actor(leaf)
        return None

    def category_names(self) -> list[str]:
        return list(self.categories)


def _schema() -> dict:
    text = resources.files("slr").joinpath("schemas/codebook.schema.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def parse(data: object, path: str | Path = "<codebook>", doc: YamlFile | None = None) -> Codebook:
    """Validate and build a codebook; ``doc`` (the file as read) gives each problem its line."""
    fix = "fix the codebook (see its schema, src/slr/schemas/codebook.schema.yaml)"
    try:
        jsonschema.validate(data, _schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise InputError(
            path, f"codebook entry {where}: {exc.message}", fix, line=line_of(doc, exc.absolute_path)
        ) from None
    assert isinstance(data, dict)
    types: dict[str, dict[str, str]] = {}
    categories: dict[str, dict[str, str]] = {}
    activities: list[Activity] = []
    lines: dict[tuple[str, str, str], int | None] = {}  # (kind, entry, name or alias) -> line
    for type_key, tdef in data["anchoring_types"].items():
        types[type_key] = {"label": tdef.get("label", type_key), "description": tdef.get("description", "")}
        for cat_name, cdef in tdef["categories"].items():
            cat_keys = ["anchoring_types", type_key, "categories", cat_name]
            if cat_name in categories:
                raise InputError(
                    path,
                    f"category {cat_name!r} appears twice",
                    "give each category one place",
                    line=line_of(doc, cat_keys),
                )
            categories[cat_name] = {"type": type_key, "description": cdef.get("description", "")}
            for i, adef in enumerate(cdef["activities"]):
                keys = [*cat_keys, "activities", i]
                lines[("activity", adef["name"], adef["name"])] = line_of(doc, [*keys, "name"])
                for j, alias in enumerate(adef.get("aliases", [])):
                    lines[("activity", adef["name"], alias)] = line_of(doc, [*keys, "aliases", j])
                activities.append(
                    Activity(
                        name=adef["name"],
                        category=cat_name,
                        type=type_key,
                        description=" ".join(adef["description"].split()),
                        terms=tuple(adef["terms"]),
                        aliases=tuple(adef.get("aliases", [])),
                    )
                )
    actors = []
    for sector, items in data["actor_types"].items():
        for i, a in enumerate(items):
            keys = ["actor_types", sector, i]
            lines[("actor", a["name"], a["name"])] = line_of(doc, [*keys, "name"])
            for j, alias in enumerate(a.get("aliases", [])):
                lines[("actor", a["name"], alias)] = line_of(doc, [*keys, "aliases", j])
            actors.append(ActorType(name=a["name"], sector=sector, aliases=tuple(a.get("aliases", []))))
    book = Codebook(types, categories, activities, actors)
    _check_unique(book, path, lines)
    return book


def _check_unique(book: Codebook, path: str | Path, lines: dict[tuple[str, str, str], int | None]) -> None:
    seen: dict[str, str] = {}
    for kind, entries in (("activity", book.activities), ("actor", book.actors)):
        for entry in entries:
            for name in (entry.name, *entry.aliases):
                key = f"{kind}|{fold(name)}"
                owner = seen.setdefault(key, entry.name)
                # a name repeated in its own entry's aliases is harmless; another entry's is not
                if owner != entry.name:
                    raise InputError(
                        path,
                        f"{kind} name or alias {name!r} is used by both {owner!r} and {entry.name!r}",
                        "make every name and alias unique",
                        line=lines.get((kind, entry.name, name)),
                    )


def load(path: str | Path) -> Codebook:
    doc = read_yaml(path, what="the codebook", fix="see config/codebook.yaml in the project")
    return parse(doc.data, doc.path, doc)
