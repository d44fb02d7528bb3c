"""The host's handle (`lua_State *L`) is lent for one call: one the script
keeps raises when used later, and None is refused where Lua needs a state."""

from collections.abc import Callable

from pyext_h import Ptr, lua_State, lua_createtable, lua_gettop, lua_pushcclosure, lua_pushlstring, lua_pushstring, lua_setfield

_kept: list[Ptr[lua_State]] = []


def _outcome(f: Callable[[], object]) -> str:
    try:
        f()
    except (TypeError, ValueError) as e:
        return type(e).__name__
    return "no error"


def _stale(L: Ptr[lua_State], /) -> int:
    """stale(): what using a kept handle and None does."""
    kept = _outcome(lambda: lua_gettop(_kept[0]))
    none = _outcome(lambda: lua_gettop(None))  # type: ignore[arg-type]
    # The length comes from the bytes: one the script gives is refused.
    length = _outcome(lambda: lua_pushlstring(L, b"ab", 100000000))  # type: ignore[call-arg]
    lua_pushstring(L, f"kept:{kept} none:{none} length:{length} top:{lua_gettop(L)}")
    return 1


def luaopen_pyext(L: Ptr[lua_State], /) -> int:
    """Called by require("pyext"): keeps its handle (wrongly), pushes the module."""
    _kept.append(L)
    lua_createtable(L, 0, 1)
    lua_pushcclosure(L, _stale, 0)
    lua_setfield(L, -2, "stale")
    return 1
