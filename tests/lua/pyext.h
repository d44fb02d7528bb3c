/* pyext.h: the Lua 5.4 C-module entry point, plus the host's API */
#include <lua.h>
#include <lauxlib.h>

/** Called by require("pyext"); pushes the module table, returns 1. */
int luaopen_pyext(lua_State *L);
