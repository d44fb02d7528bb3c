class Exports(Protocol):
    """The functions a plugin script may define, with the signatures the host
    calls them with. Check a whole plugin with `exports: {{ module }}.Exports = script_module`;
    a plugin that defines only some, with `check_exports`."""
{%- for f in exports %}

    def {{ f.name }}(self{% if !f.params.is_empty() %}, {{ f.params }}, /{% endif %}) -> {{ f.ret }}:
        """{{ f.doc }}"""
{%- endfor %}


{% if let Some(first) = exports.first() -%}
def check_exports(
    *,
{%- for f in exports %}
    {{ f.name }}: {{ f.callable }} = ...,
{%- endfor %}
) -> None:
    """Type-checks the exports a plugin defines, by name: at the end of the
    script, `{{ module }}.check_exports({{ first.name }}={{ first.name }}, ...)`; mypy
    reports one whose parameters or result differ from the header's. Does
    nothing at run time."""
{%- else -%}
def check_exports() -> None:
    """The interface declares no exports: nothing to check."""
{%- endif %}
