import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from mac.core.models import AuditLog


def _json_safe(data: dict[str, Any]) -> dict[str, Any]:
    # Actions pass model values as they are (Decimal fees, dates, times); the
    # JSONField's plain encoder would refuse them, so they become strings here.
    safe: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return safe


def entry(action: str, obj: models.Model | None = None, *, by: Any = None, **data: Any) -> AuditLog:
    """The audit row, unsaved: for actions that send it with their other
    writes (mac.core.rows, `publish_on_commit(..., along=...)`)."""
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditLog(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=_json_safe(data),
    )


def record(
    action: str, obj: models.Model | None = None, *, by: Any = None, **data: Any
) -> AuditLog:
    """Append an audit row; call it inside the action's transaction."""
    row = entry(action, obj, by=by, **data)
    row.save(force_insert=True)
    return row
