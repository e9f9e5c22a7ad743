"""The Jinja environment of a theme (imported only when something is rendered: Jinja takes time to load)."""

from __future__ import annotations

from pathlib import Path

import markupsafe
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateSyntaxError, select_autoescape

_escape_text = getattr(markupsafe, "_escape_inner", None)  # the C escaping that markupsafe.escape wraps
_new_markup = str.__new__


def quick_escape(value: object) -> markupsafe.Markup:
    """markupsafe.escape, with the same result, but the Markup made directly: Markup.__new__'s own
    checks, in Python, took an eighth of an event page's rendering (every `{{ }}` escapes)."""
    kind = type(value)
    if kind is str:
        return _new_markup(markupsafe.Markup, _escape_text(value))  # type: ignore[misc]
    if kind is markupsafe.Markup:
        return value  # type: ignore[return-value]
    return markupsafe.escape(value)


class QuickEscapeTemplate(Template):
    """A compiled template whose output escaping is quick_escape (see there)."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        if _escape_text is not None and namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = quick_escape
        return super()._from_namespace(environment, namespace, globals)


class ViewEnvironment(Environment):
    """Reads `view.name` of a plain dict as its key first. Jinja asks for an attribute first, and a
    view (a dict) has none, so every `{{ e.title }}` raised and caught an AttributeError: a third
    of an event page's rendering time. Only a key named like a dict method (`items`) reads
    differently: as the key, which is what a template means by it."""

    template_class = QuickEscapeTemplate

    def getattr(self, obj: object, attribute: str) -> object:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class ThemeLoader(FileSystemLoader):
    """Templates from a folder; one that is not UTF-8 is a template error with its line, like any other."""

    def get_source(self, environment: Environment, template: str):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            line = error.object[: error.start].count(b"\n") + 1
            path = next((str(Path(folder) / template) for folder in self.searchpath
                         if (Path(folder) / template).is_file()), template)
            raise TemplateSyntaxError("the file is not UTF-8 text (save it as UTF-8)", line, template,
                                      path) from None


def make_environment(templates_dir: Path) -> Environment:
    return ViewEnvironment(
        loader=ThemeLoader(templates_dir),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a build never sees a template change; the server makes a new environment
    )
