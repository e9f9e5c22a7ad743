"""The Jinja environment of a theme (imported only when something is rendered: Jinja takes time to load)."""

from __future__ import annotations

import types
from pathlib import Path

import markupsafe
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateSyntaxError, select_autoescape
from jinja2.runtime import Context, Macro, missing
from jinja2.utils import internalcode

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


# What a compiled template passes along with a call's arguments, for Context.call to take out.
_SCOPES = frozenset({"_loop_vars", "_block_vars"})
_PLAIN_CALLABLES = frozenset({types.FunctionType, types.MethodType, types.BuiltinFunctionType})


class QuickCallContext(Context):
    """Context.call, with the same results, but two kinds of call made directly: a macro given
    plain arguments, and a function that wants no context. The generic path asks each callable
    for its pass-context marks and a macro for its caller, varargs and keywords: 6.5 µs a macro
    call, where the macro itself often takes 1 µs (an event page makes about 25 calls)."""

    @internalcode
    def call(__self, __obj, *args, **kwargs):  # named as Context.call names them: a keyword "obj" passes through
        kind = type(__obj)
        if kind is Macro and not (__obj.caller or __obj.catch_kwargs or __obj.catch_varargs):
            arguments = _macro_arguments(__obj, args, kwargs)
            if arguments is not None and not __self.environment.is_async:
                value = __obj._func(*arguments)  # text joined by the macro: Markup without its checks
                return _new_markup(markupsafe.Markup, value) if __self.eval_ctx.autoescape else value
        elif kind in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg"):
            for scope in _SCOPES.intersection(kwargs):
                del kwargs[scope]
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Context.call says it
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


def _macro_arguments(macro: Macro, args: tuple, kwargs: dict) -> tuple | None:
    """The macro function's arguments, as Macro.__call__ lays them out (a missing one is `missing`:
    the function puts its default there); None when that call would do more or raise."""
    count = macro._argument_count
    if len(args) > count:
        return None
    if not kwargs:
        return args + (missing,) * (count - len(args))
    named = {name: value for name, value in kwargs.items() if name not in _SCOPES}
    rest = macro.arguments[len(args):]
    if not named.keys() <= set(rest):
        return None
    return args + tuple(named.get(name, missing) for name in rest)


class ViewEnvironment(Environment):
    """Reads `view.name` of a plain dict as its key first. Jinja asks for an attribute first, and a
    view (a dict) has none, so every `{{ e.title }}` raised and caught an AttributeError: a third
    of an event page's rendering time. Only a key named like a dict method (`items`) reads
    differently: as the key, which is what a template means by it."""

    template_class = QuickEscapeTemplate
    context_class = QuickCallContext

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
