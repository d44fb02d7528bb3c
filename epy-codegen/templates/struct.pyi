class {{ s.name }}:
    """{{ s.doc }}"""

    def __init__(self, **fields: object) -> None:
        """A new zero-filled `{{ s.name }}` owned by Python; keyword arguments set fields."""
{%- for f in s.fields %}
{% if f.readonly %}
    @property
    def {{ f.name }}(self) -> {{ f.ty }}:
        """{% if f.doc.is_empty() %}Read-only.{% else %}{{ f.doc }}{% endif %}"""
{%- else if !f.setter.is_empty() %}
    @property
    def {{ f.name }}(self) -> {{ f.ty }}:
{%- if f.doc.is_empty() %} ...{% else %}
        """{{ f.doc }}"""
{%- endif %}
    @{{ f.name }}.setter
    def {{ f.name }}(self, value: {{ f.setter }}) -> None: ...
{%- else %}
    {{ f.name }}: {{ f.ty }}
{%- if !f.doc.is_empty() %}
    """{{ f.doc }}"""
{%- endif %}
{%- endif %}
{%- endfor %}
