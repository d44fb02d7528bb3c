{{ c.name }} = {{ c.ty }}
{%- if !c.doc.is_empty() %}
"""{{ c.doc }}"""
{%- endif %}
