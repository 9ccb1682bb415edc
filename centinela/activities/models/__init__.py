from centinela.activities.models.field import Campaign, Material, Operation, OperationType, Placement
from centinela.activities.models.governance import (
    CouncilSession,
    Resolution,
    SessionAttendance,
    WorkingGroup,
    WorkingGroupMember,
)
from centinela.activities.models.plan import (
    Activity,
    ActivityPartner,
    Evidence,
    Indicator,
    IndicatorTarget,
    Plan,
    Programme,
)
from centinela.activities.models.training import Attendance, Person, Speaker, Training

__all__ = [
    "Plan",
    "Programme",
    "Indicator",
    "IndicatorTarget",
    "Activity",
    "ActivityPartner",
    "Evidence",
    "Person",
    "Training",
    "Speaker",
    "Attendance",
    "OperationType",
    "Operation",
    "Campaign",
    "Material",
    "Placement",
    "WorkingGroup",
    "WorkingGroupMember",
    "CouncilSession",
    "SessionAttendance",
    "Resolution",
]
