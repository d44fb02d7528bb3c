class Exports(Protocol):
    """The functions a plugin script may define, with the signatures the host
    calls them with. Check a script with `exports: {{ module }}.Exports = script_module`."""
{%- for f in exports %}

    def {{ f.name }}(self{% if !f.params.is_empty() %}, {{ f.params }}, /{% endif %}) -> {{ f.ret }}:
        """{{ f.doc }}"""
{%- endfor %}
