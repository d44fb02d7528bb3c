"""pam_allowlist: a PAM module in Python that admits the users its
service-file line names (`allow=alice,bob`) and refuses everyone else.

`pam_get_user` is the host's (libpam's) function, declared in
pam_modules.h: the script imports it from the stub module and calls it;
its out-parameter `const char **user` comes back after the result.
"""

from pam_modules_h import Ptr, pam_get_user, pam_handle_t

PAM_SUCCESS = 0
PAM_AUTH_ERR = 7


def _allowed(argv: list[str]) -> set[str]:
    """The users named by the `allow=` arguments of the service-file line."""
    names: set[str] = set()
    for arg in argv:
        if arg.startswith("allow="):
            names.update(n for n in arg[len("allow="):].split(",") if n)
    return names


def pam_sm_authenticate(pamh: Ptr[pam_handle_t], flags: int, argc: int, argv: list[str], /) -> int:
    """Admits a user named in `allow=`; `fail` in argv raises (to show that an
    exception is logged and PAM gets the `on-error` value of pam_allowlist.toml)."""
    if "fail" in argv:
        raise RuntimeError("pam_allowlist: asked to fail")
    rc, user = pam_get_user(pamh, "login: ")
    if rc != PAM_SUCCESS or user is None:
        return rc if rc != PAM_SUCCESS else PAM_AUTH_ERR
    return PAM_SUCCESS if user in _allowed(argv) else PAM_AUTH_ERR


def pam_sm_setcred(pamh: Ptr[pam_handle_t], flags: int, argc: int, argv: list[str], /) -> int:
    """Nothing to set: PAM calls this after a successful authentication."""
    return PAM_SUCCESS
