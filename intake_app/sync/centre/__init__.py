"""intake_app.sync.centre: the reception centre's side of sync.

The names below are the value types and texts the administrator's window shows; the work
itself is reached through `intake_app.services.centre.CentreService`."""

from intake_app.sync.centre.answer_text import (
    CODED_TYPES,
    SECTION_SEPARATOR,
    AnswerLine,
    labelled,
)
from intake_app.sync.centre.conflicts import AnswerPair, OpenConflict, Resolution
from intake_app.sync.centre.devices import RegisteredDevice, RequestOnShare, RequestRead
from intake_app.sync.centre.duplicates import WINDOW_DAYS, PossibleDuplicate
from intake_app.sync.centre.duplicates import reasons_text as duplicate_reasons_text
from intake_app.sync.centre.follow_up import STATUSES as FOLLOW_UP_STATUSES
from intake_app.sync.centre.follow_up import (
    FollowUp,
    FollowUpChange,
    FollowUpRecord,
    follow_up_text,
)
from intake_app.sync.centre.form_errors import (
    FormsNotOnShare,
    FormVersionNotNewer,
    FormVersionPublished,
    FormVersionShipped,
)
from intake_app.sync.centre.form_publish import Published, Retired
from intake_app.sync.centre.importer import ImportResult
from intake_app.sync.centre.inbox import ScanProgress
from intake_app.sync.centre.log import LogEntry
from intake_app.sync.centre.quarantine import CapAlert, HeldBundle
from intake_app.sync.centre.records import (
    ImportedInterview,
    ImportedRevision,
    ImportedTombstone,
    SetAside,
)
from intake_app.sync.centre.referral_data import ReferralData
from intake_app.sync.centre.reports import MIN_GROUP, PSEUDO_FIELDS, StatsTable
from intake_app.sync.centre.sequence import Gap
from intake_app.sync.centre.setup import MAX_NAME, MAX_SHARE, CentreSetup
from intake_app.sync.centre.stats_report import (
    ReportChoice,
    ReportRow,
    ReportTable,
    StatsReport,
    count_cell,
    count_text,
    hidden_text,
    not_shown_text,
    report_table,
    rule_lines,
    rule_text,
    total_row,
    total_text,
)
from intake_app.sync.centre.texts import (
    cap_alert_text,
    kept_text,
    laptop_words,
    outcome_text,
    reason_text,
    short_id,
    state_text,
    when,
)
from intake_app.sync.centre.triage import TriageRow
from intake_app.sync.errors import Outcome, Reason

__all__ = [
    "CODED_TYPES",
    "FOLLOW_UP_STATUSES",
    "MAX_NAME",
    "MAX_SHARE",
    "MIN_GROUP",
    "PSEUDO_FIELDS",
    "SECTION_SEPARATOR",
    "WINDOW_DAYS",
    "AnswerLine",
    "AnswerPair",
    "CapAlert",
    "CentreSetup",
    "FollowUp",
    "FollowUpChange",
    "FollowUpRecord",
    "FormVersionNotNewer",
    "FormVersionPublished",
    "FormVersionShipped",
    "FormsNotOnShare",
    "Gap",
    "HeldBundle",
    "ImportResult",
    "ImportedInterview",
    "ImportedRevision",
    "ImportedTombstone",
    "LogEntry",
    "OpenConflict",
    "Outcome",
    "PossibleDuplicate",
    "Published",
    "Reason",
    "ReferralData",
    "RegisteredDevice",
    "ReportChoice",
    "ReportRow",
    "ReportTable",
    "RequestOnShare",
    "RequestRead",
    "Resolution",
    "Retired",
    "ScanProgress",
    "SetAside",
    "StatsReport",
    "StatsTable",
    "TriageRow",
    "cap_alert_text",
    "count_cell",
    "count_text",
    "duplicate_reasons_text",
    "follow_up_text",
    "hidden_text",
    "kept_text",
    "labelled",
    "laptop_words",
    "not_shown_text",
    "outcome_text",
    "reason_text",
    "report_table",
    "rule_lines",
    "rule_text",
    "short_id",
    "state_text",
    "total_row",
    "total_text",
    "when",
]
