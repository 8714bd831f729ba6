"""The client roles of G-1.2 and the exchange's staff roles."""
import enum


class ClientRole(str, enum.Enum):
    initiator = "initiator"
    adviser = "adviser"
    auditor = "auditor"
    candidate = "candidate"


class StaffRole(str, enum.Enum):
    account_admin = "account_admin"
    office = "office"
    authorised = "authorised"
