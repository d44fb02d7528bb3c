"""Calls the host's functions declared in host_fns.h (tests/host_fns.rs)."""

from host_fns_h import host_absent, host_join, host_name, host_register, host_twice


def plugin_run(what: int, /) -> int:
    """0: host_twice(21); 1/2: host_name's result and out-string, encoded
    as a number; 3: the missing host_absent's error names it; 4/5: lists of
    strings passed to host_register (counted) and host_join (NULL-terminated)."""
    if what == 0:
        return host_twice(21)
    if what == 4:
        return host_register("cfg", ["Host", "Port"], 2)
    if what == 5:
        return host_join(["a", "bc", "déf"])
    if what in (1, 2):
        rc, name = host_name(what)
        return rc * 100 + (len(name) if name is not None else 99)
    try:
        host_absent(1)
    except LookupError as e:
        return 1 if "host_absent" in str(e) else 2
    return 3
