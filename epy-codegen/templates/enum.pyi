class {{ e.name }}(IntEnum):
    """{{ e.doc }}"""
{% for m in e.members %}
    {{ m.0 }} = {{ m.1 }}
{%- endfor %}
{%- if !e.aliases.is_empty() %}
{% for a in e.aliases %}
{{ a }}: Final = {{ e.name }}.{{ a }}
{%- endfor %}
{%- endif %}
