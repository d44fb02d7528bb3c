class {{ e.name }}(IntEnum):
    """{{ e.doc }}"""
{% for m in e.members %}
    {{ m.0 }} = {{ m.1 }}
{%- endfor %}
