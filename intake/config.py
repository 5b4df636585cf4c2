"""Settings the application core needs: who the authority is and its local rules.

Local vocabulary, duty hours and numbers differ between councils (PRODUCT.md):
they are settings, not code.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class AuthoritySettings(BaseModel):
    """The council running the service (``LADO_AUTHORITY__*``)."""

    name: str = Field(default="Example Council", description="Name of the local authority")
    service_name: str = Field(default="LADO service", description="What the LADO team calls itself")
    duty_phone: str = Field(default="01632 960000", description="LADO duty line")
    duty_hours: str = Field(
        default="Monday to Friday, 9am to 5pm (excluding bank holidays)",
        description="When the duty line is staffed",
    )
    duty_email: str = Field(default="lado@example.gov.uk", description="LADO secure mailbox")
    front_door_phone: str = Field(
        default="01632 960001", description="Children's social care front door / MASH"
    )
    out_of_hours_phone: str = Field(
        default="01632 960002", description="Emergency duty team, out of hours"
    )
    notification_deadline: Literal["1wd", "24h"] = Field(
        default="1wd",
        description="Notification target: '1wd' = within one working day of the organisation "
        "becoming aware (England & Wales working days); '24h' = within 24 hours",
    )
    response_hours: int = Field(
        default=24, ge=1, le=240, description="Hours within which the LADO promises a response"
    )
