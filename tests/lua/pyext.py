"""pyext: a Lua 5.4 C module written in Python, without a pack.

Built with `epy-codegen build pyext.py --header pyext.h -I /usr/include/lua5.4`;
loaded by `require("pyext")` (LUA_CPATH finds pyext.so). Its functions are
Python functions handed to Lua with lua_pushcclosure.
"""

from pyext_h import (
    Ptr,
    lua_State,
    LUA_TNUMBER,
    LUA_TSTRING,
    lua_createtable,
    lua_isinteger,
    lua_pushcclosure,
    lua_pushinteger,
    lua_pushlstring,
    lua_pushnil,
    lua_pushnumber,
    lua_pushstring,
    lua_setfield,
    lua_tointegerx,
    lua_tolstring,
    lua_tonumberx,
    lua_type,
)


def _add(L: Ptr[lua_State], /) -> int:
    """add(a, b): the sum of two numbers; nil and a message otherwise."""
    if lua_type(L, 1) != LUA_TNUMBER or lua_type(L, 2) != LUA_TNUMBER:
        lua_pushnil(L)
        lua_pushstring(L, "add: two numbers expected")
        return 2
    if lua_isinteger(L, 1) and lua_isinteger(L, 2):
        r = lua_tointegerx(L, 1, None) + lua_tointegerx(L, 2, None)
        lua_pushinteger(L, (r + 2**63) % 2**64 - 2**63)  # wraps like Lua
    else:
        lua_pushnumber(L, lua_tonumberx(L, 1, None) + lua_tonumberx(L, 2, None))
    return 1


def _upper(L: Ptr[lua_State], /) -> int:
    """upper(s): s in upper case; nil and a message otherwise."""
    s = lua_tolstring(L, 1) if lua_type(L, 1) == LUA_TSTRING else None
    if s is None:
        lua_pushnil(L)
        lua_pushstring(L, "upper: a string expected")
        return 2
    lua_pushlstring(L, s.upper())  # bytes of exactly the string's length
    return 1


def _size(L: Ptr[lua_State], /) -> int:
    """size(s): how many bytes lua_tolstring gives (NULs included)."""
    s = lua_tolstring(L, 1)
    lua_pushinteger(L, -1 if s is None else len(s))
    return 1


def _blob(L: Ptr[lua_State], /) -> int:
    """blob(): a Lua string with a NUL inside (its length comes from the bytes)."""
    lua_pushlstring(L, b"a\x00b")
    return 1


def luaopen_pyext(L: Ptr[lua_State], /) -> int:
    """Called by require("pyext"): pushes the module table, returns 1."""
    lua_createtable(L, 0, 2)
    lua_pushcclosure(L, _add, 0)
    lua_setfield(L, -2, "add")
    lua_pushcclosure(L, _upper, 0)
    lua_setfield(L, -2, "upper")
    lua_pushcclosure(L, _blob, 0)
    lua_setfield(L, -2, "blob")
    lua_pushcclosure(L, _size, 0)
    lua_setfield(L, -2, "size")
    return 1
