"""The import contracts (pyproject.toml, checked by lint-imports in make lint and CI) cover the whole project."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def contracts() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["name"]: contract for contract in config["contracts"]}


def test_the_development_data_contract_lists_every_module_of_the_project():
    """A forbidden contract needs its sources listed; a new module of gentofte_portal must not slip past it."""
    package = ROOT / "gentofte_portal"
    modules = {
        f"gentofte_portal.{path.stem}"
        for path in package.iterdir()
        if not path.name.startswith("__")
        and path.name != "devdata"
        and (path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()))
    }
    sources = set(contracts()["No runtime module imports the development data"]["source_modules"])
    assert modules <= sources, f"add to the contract: {sorted(modules - sources)}"
    assert {"committees", "recruitment", "meetings"} <= sources


def test_the_project_package_is_configuration_and_its_apps():
    """gentofte_portal/ holds settings, URLs, Celery and the WSGI/ASGI entry points; every other concern is an app
    of its own inside it (README: Architecture), so a newcomer finds it by its folder's name."""
    package = ROOT / "gentofte_portal"
    modules = {path.stem for path in package.glob("*.py")}
    apps = {path.name for path in package.iterdir() if (path / "__init__.py").exists()}
    assert modules == {"__init__", "asgi", "celery", "urls", "wsgi"}
    assert apps == {
        "settings",
        "common",
        "outbox",
        "documents",
        "pages",
        "devdata",
        "subscriptions",
        "oparl",
        "sso",
        "network",
        "evaluation",
    }


def test_every_layer_of_the_project_is_in_the_layers_contract():
    layers = " | ".join(contracts()["Each layer imports only downward"]["layers"])
    for app in [
        "committees",
        "recruitment",
        "meetings",
        "common",
        "outbox",
        "documents",
        "pages",
        "devdata",
        "subscriptions",
        "oparl",
        "sso",
        "network",
        "evaluation",
    ]:
        assert app in layers


def test_the_core_has_no_model_relation_to_another_app_of_the_portal():
    """import-linter sees Python imports only; a ForeignKey("meetings.AgendaItem") as a string would slip past it."""
    from django.apps import apps

    outside = {
        "recruitment",
        "meetings",
        "gentofte_portal",
        "pages",
        "oparl",
        "subscriptions",
        "sso",
        "network",
        "evaluation",
    }
    relations = [
        f"{model.__name__}.{field.name} -> {field.related_model._meta.label}"
        for model in apps.get_app_config("committees").get_models()
        for field in model._meta.get_fields(include_hidden=True)
        if field.is_relation and not field.auto_created and field.related_model._meta.app_label in outside
    ]
    assert relations == []
