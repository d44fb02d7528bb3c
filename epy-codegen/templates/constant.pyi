{{ c.name }}: {{ c.decl }}
{%- if !c.doc.is_empty() %}
"""{{ c.doc }}"""
{%- endif %}
