"""``{% if convention|renewable_by:user %}``: the convention page asks the permission
funnel whether to offer "Renouveler la convention" (one query, only when it is offered)."""

from __future__ import annotations

from typing import Any

from django import template

from copil.accounts import perms

register = template.Library()


@register.filter
def renewable_by(convention: Any, user: Any) -> bool:
    return perms.can_manage_convention(user, convention)
