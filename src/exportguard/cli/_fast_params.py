"""A command's text and number parameters checked without pydantic when nothing needs checking.

Typer validates every parameter value through a pydantic `TypeAdapter` built on first use, so a
run imports pydantic (and its plugin loader's `importlib.metadata`) for `screen NAME` alone: a
tenth of a cold screen (issue 17). A text argument already a `str`, a number option still at
its `int`/`float` default, a flag already a `bool` or a value not given (None, checked before
any adapter) is what that adapter returns unchanged; only such values skip it.
Anything else (`--limit 5` as text, an enum, a path, a range) goes to Typer's own adapter, so
values and error messages stay Typer's. This reaches into Typer's coercion layer
(`typer._coercion`, typer 0.29); `tests/test_startup.py` notices when a Typer changes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typer import _click
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer.core import TyperCommand, _TyperParameter

_PLAIN = (str, int, float, bool)


def plain_values(params: list[_click.Parameter]) -> list[_click.Parameter]:
    """Put the plain text, number and flag parameters on the pydantic-free path (idempotent)."""
    for param in params:
        if (isinstance(param, _TyperParameter) and param._runtime_param is None
                and _is_plain(param.type_descriptor)):
            param._runtime_param = _AsGiven(parameter_info=param.type_descriptor.parameter_info,
                                            annotation=param.type_descriptor.annotation,
                                            descriptor=param.type_descriptor)
    return params


class PlainValuesCommand(TyperCommand):
    """A Typer command whose plain parameters, `--help` included, skip pydantic."""

    def get_params(self, ctx: _click.Context) -> list[_click.Parameter]:
        return plain_values(super().get_params(ctx))


def _is_plain(descriptor: TypeDescriptor) -> bool:
    return (descriptor.annotation in _PLAIN and descriptor.parameter_info.parser is None
            and not (descriptor.is_ranged or descriptor.is_choice or descriptor.is_file
                     or descriptor.is_path))


@dataclass(frozen=True)
class _AsGiven(RuntimeParam):
    """A value of exactly the annotated type as given; any other through Typer's adapter."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: _click.Context) -> Any:
        if type(value) is self.annotation:
            return value
        return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
