"""A Lua 5.4 C module whose table holds plain values: the host's lua_* functions
come from <lua.h>, which pyext.h includes (`-I /usr/include/lua5.4`)."""

from pyext_h import Ptr, lua_State, lua_createtable, lua_pushinteger, lua_pushstring, lua_setfield


def luaopen_pyext(L: Ptr[lua_State], /) -> int:
    """Called by require("pyext"): pushes {answer = 42, name = "pyext"}."""
    lua_createtable(L, 0, 2)
    lua_pushinteger(L, 42)
    lua_setfield(L, -2, "answer")
    lua_pushstring(L, "pyext")
    lua_setfield(L, -2, "name")
    return 1
