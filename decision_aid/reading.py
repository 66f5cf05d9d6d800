"""Reading TOML content with errors a content editor can act on.

`Reader` is a view of one table that knows its file and key path, so that every problem becomes
one `ContentError` naming the file, the key and what is wrong, never a traceback.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Iterable

ID = re.compile(r"^[a-z][a-z0-9_]*$")


class ContentError(Exception):
    """A content file is malformed or inconsistent."""

    def __init__(self, file: str, key: str, problem: str):
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")


class Reader:
    """A view of one TOML table that knows its file and key path, for error messages."""

    def __init__(self, file: str, data: Any, path: str = ""):
        self.file, self.data, self.path = file, data, path
        if not isinstance(data, dict):
            self.fail("", f"expected a table, found {_kind(data)}")

    def key(self, name: str | int) -> str:
        part = f"[{name}]" if isinstance(name, int) else str(name)
        if not self.path:
            return part
        return f"{self.path}{part}" if isinstance(name, int) else f"{self.path}.{part}"

    def fail(self, name: str | int, problem: str):
        raise ContentError(self.file, self.key(name) if name != "" else self.path, problem)

    def has(self, name: str) -> bool:
        return name in self.data

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.data:
            if default is ...:
                self.fail(name, "is missing")
            return default
        value = self.data[name]
        # bool is an int in Python; a rank of `true` is still a mistake worth naming.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(name, f"expected {_kind_name(kind)}, found {_kind(value)}")
        return value

    def text(self, name: str, default: Any = ...) -> str:
        value = self.get(name, str, default)
        if isinstance(value, str) and default is ... and not value.strip():
            self.fail(name, "is empty")
        return value

    def ident(self, name: str) -> str:
        value = self.text(name)
        if not ID.match(value):
            self.fail(name, f"{value!r} is not a valid id (lower-case letters, digits, _)")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        return self.get(name, bool, default)

    def strings(self, name: str, default: Any = ...) -> tuple[str, ...]:
        values = self.get(name, list, default)
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise ContentError(self.file, f"{self.key(name)}[{i}]", f"expected text, found {_kind(value)}")
        return tuple(values)

    def table(self, name: str) -> "Reader":
        return Reader(self.file, self.get(name, dict), self.key(name))

    def tables(self, name: str, default: Any = ...) -> list["Reader"]:
        values = self.get(name, list, default)
        return [Reader(self.file, v, f"{self.key(name)}[{i}]") for i, v in enumerate(values)]

    def items(self) -> Iterable[tuple[str, "Reader"]]:
        for name in self.data:
            yield name, Reader(self.file, self.data[name], self.key(name))

    def unknown(self, allowed: Iterable[str]) -> None:
        extra = sorted(set(self.data) - set(allowed))
        if extra:
            self.fail(extra[0], "is not a known key here (a typo?)")


def _kind(value: Any) -> str:
    return {
        str: "text", int: "a number", float: "a number", bool: "true/false",
        list: "a list", dict: "a table",
    }.get(type(value), type(value).__name__)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError(path.name, "", "file not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(path.name, "", f"not valid TOML ({error})") from None
    except UnicodeDecodeError as error:
        raise ContentError(path.name, "", f"not valid UTF-8 ({error.reason})") from None
    except RecursionError:
        raise ContentError(path.name, "", "nests tables or lists too deeply to be a content file") from None
    except OSError as error:  # a folder where the file should be, no permission, ...
        raise ContentError(path.name, "", f"cannot be read ({error.strerror or error})") from None
