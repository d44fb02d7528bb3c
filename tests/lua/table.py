"""A Lua 5.4 C module whose table holds plain values: the host's lua_* functions
come from <lua.h>, which pyext.h includes (`-I /usr/include/lua5.4`)."""

from pyext_h import LUA_MAXUNSIGNED, Ptr, lua_State, lua_createtable, lua_pushinteger, lua_pushstring, lua_setfield


def luaopen_pyext(L: Ptr[lua_State], /) -> int:
    """Called by require("pyext"): pushes {answer = 42, name = "pyext", maxu = "18446744073709551615"}."""
    lua_createtable(L, 0, 2)
    lua_pushinteger(L, 42)
    lua_setfield(L, -2, "answer")
    lua_pushstring(L, "pyext")
    lua_setfield(L, -2, "name")
    lua_pushstring(L, str(LUA_MAXUNSIGNED))  # (~(lua_Unsigned)0): unsigned
    lua_setfield(L, -2, "maxu")
    return 1
