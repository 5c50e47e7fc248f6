"""OParl 1.1 object types as pydantic v2 models, shared by the server and the importer.

Field names are the OParl names (camelCase), so `model_dump()` is the wire format. Serialising
drops `None`, `""` and `[]`: the spec forbids null/empty values for absent optional data.
Timestamps are written as `yyyy-mm-ddThh:mm:ss±hh:mm` (no fractions, no `Z`).
The importer validates foreign data with these models after its own tolerant clean-up
(ratsinfo/oparl/importer), so they stay strict about types.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_serializer, model_serializer
from pydantic.functional_serializers import SerializerFunctionWrapHandler

SCHEMA = "https://schema.oparl.org/1.1/"
OPARL_VERSION = "https://schema.oparl.org/1.1/"


def format_datetime(value: dt.datetime) -> str:
    """OParl date-time: second precision, numeric offset (never `Z`)."""
    if value.tzinfo is None:
        raise ValueError("OParl-Zeitstempel brauchen eine Zeitzone")
    return value.replace(microsecond=0).isoformat()



class OParlModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    oparl_type: ClassVar[str] = ""

    @model_serializer(mode="wrap")
    def _drop_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        # Runs for every object the API serves: kept inline.
        return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v != {}}


class OParlObjectModel(OParlModel):
    id: str
    type: str = ""
    license: str | None = None
    keyword: list[str] = []
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    web: str | None = None
    deleted: bool | None = None

    @field_serializer("created", "modified", "start", "end", "licenseValidSince", "oparlSince",
                      when_used="always", check_fields=False)
    def _ser_ts(self, value: dt.datetime | None) -> str | None:
        return format_datetime(value) if value is not None else None

    def model_post_init(self, __context: Any) -> None:
        if not self.type and self.oparl_type:
            self.type = SCHEMA + self.oparl_type

    def to_json(self) -> dict[str, Any]:
        """The wire form: JSON-ready dict without empty values; `deleted` only when true."""
        data = self.model_dump(mode="json")
        if data.get("deleted") is False:
            del data["deleted"]
        return data


class Location(OParlObjectModel):
    oparl_type: ClassVar[str] = "Location"
    description: str | None = None
    geojson: dict[str, Any] | None = None
    streetAddress: str | None = None
    room: str | None = None
    postalCode: str | None = None
    subLocality: str | None = None
    locality: str | None = None
    bodies: list[str] = []
    organizations: list[str] = []
    persons: list[str] = []
    meetings: list[str] = []
    papers: list[str] = []


class File(OParlObjectModel):
    oparl_type: ClassVar[str] = "File"
    name: str | None = None
    fileName: str | None = None
    mimeType: str | None = None
    date: dt.date | None = None
    size: int | None = None
    sha1Checksum: str | None = None
    sha512Checksum: str | None = None
    text: str | None = None
    accessUrl: str | None = None  # required by the spec; the importer tolerates its absence
    downloadUrl: str | None = None
    externalServiceUrl: str | None = None
    masterFile: str | None = None
    derivativeFile: list[str] = []
    fileLicense: str | None = None
    meeting: list[str] = []
    agendaItem: list[str] = []
    paper: list[str] = []


class LegislativeTerm(OParlObjectModel):
    oparl_type: ClassVar[str] = "LegislativeTerm"
    body: str | None = None
    name: str | None = None
    startDate: dt.date | None = None
    endDate: dt.date | None = None


class Membership(OParlObjectModel):
    oparl_type: ClassVar[str] = "Membership"
    person: str | None = None
    organization: str | None = None
    role: str | None = None
    votingRight: bool | None = None
    startDate: dt.date | None = None
    endDate: dt.date | None = None
    onBehalfOf: str | None = None


class Person(OParlObjectModel):
    oparl_type: ClassVar[str] = "Person"
    body: str | None = None
    name: str | None = None
    familyName: str | None = None
    givenName: str | None = None
    formOfAddress: str | None = None
    affix: str | None = None
    title: list[str] = []
    gender: str | None = None
    phone: list[str] = []
    email: list[str] = []
    location: str | None = None
    locationObject: Location | None = None
    status: list[str] = []
    membership: list[Membership] = []
    life: str | None = None
    lifeSource: str | None = None


class Organization(OParlObjectModel):
    oparl_type: ClassVar[str] = "Organization"
    body: str | None = None
    name: str | None = None
    membership: list[str] = []
    meeting: str | None = None
    consultation: str | None = None
    shortName: str | None = None
    post: list[str] = []
    subOrganizationOf: str | None = None
    organizationType: str | None = None
    classification: str | None = None
    startDate: dt.date | None = None
    endDate: dt.date | None = None
    website: str | None = None
    location: Location | None = None
    externalBody: str | None = None


class Consultation(OParlObjectModel):
    oparl_type: ClassVar[str] = "Consultation"
    paper: str | None = None
    agendaItem: str | None = None
    meeting: str | None = None
    organization: list[str] = []
    authoritative: bool | None = None
    role: str | None = None


class AgendaItem(OParlObjectModel):
    oparl_type: ClassVar[str] = "AgendaItem"
    meeting: str | None = None
    number: str | None = None
    order: int = 0
    name: str | None = None
    public: bool | None = None
    consultation: str | None = None
    result: str | None = None
    resolutionText: str | None = None
    resolutionFile: File | None = None
    auxiliaryFile: list[File] = []
    start: dt.datetime | None = None
    end: dt.datetime | None = None



class Meeting(OParlObjectModel):
    oparl_type: ClassVar[str] = "Meeting"
    name: str | None = None
    meetingState: str | None = None
    cancelled: bool | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    location: Location | None = None
    organization: list[str] = []
    participant: list[str] = []
    invitation: File | None = None
    resultsProtocol: File | None = None
    verbatimProtocol: File | None = None
    auxiliaryFile: list[File] = []
    agendaItem: list[AgendaItem] = []



class Paper(OParlObjectModel):
    oparl_type: ClassVar[str] = "Paper"
    body: str | None = None
    name: str | None = None
    reference: str | None = None
    date: dt.date | None = None
    paperType: str | None = None
    relatedPaper: list[str] = []
    superordinatedPaper: list[str] = []
    subordinatedPaper: list[str] = []
    mainFile: File | None = None
    auxiliaryFile: list[File] = []
    location: list[Location] = []
    originatorPerson: list[str] = []
    underDirectionOf: list[str] = []
    originatorOrganization: list[str] = []
    consultation: list[Consultation] = []


class Body(OParlObjectModel):
    oparl_type: ClassVar[str] = "Body"
    system: str | None = None
    shortName: str | None = None
    name: str | None = None
    website: str | None = None
    licenseValidSince: dt.datetime | None = None
    oparlSince: dt.datetime | None = None
    ags: str | None = None
    rgs: str | None = None
    equivalent: list[str] = []
    contactEmail: str | None = None
    contactName: str | None = None
    organization: str | None = None
    person: str | None = None
    meeting: str | None = None
    paper: str | None = None
    legislativeTerm: list[LegislativeTerm] = []
    agendaItem: str | None = None
    consultation: str | None = None
    file: str | None = None
    locationList: str | None = None
    legislativeTermList: str | None = None
    membership: str | None = None
    classification: str | None = None
    location: Location | None = None



class System(OParlObjectModel):
    oparl_type: ClassVar[str] = "System"
    oparlVersion: str = OPARL_VERSION
    otherOparlVersions: list[str] = []
    body: str | None = None
    name: str | None = None
    contactEmail: str | None = None
    contactName: str | None = None
    website: str | None = None
    vendor: str | None = None
    product: str | None = None


TYPES: dict[str, type[OParlObjectModel]] = {
    model.oparl_type: model
    for model in (System, Body, LegislativeTerm, Organization, Person, Membership, Meeting, AgendaItem,
                  Paper, Consultation, File, Location)
}


def type_name(type_url: str | None) -> str | None:
    """`https://schema.oparl.org/1.1/Paper` (or 1.0) -> `Paper`; None if it is not an OParl type."""
    if not type_url or "schema.oparl.org" not in type_url:
        return None
    name = type_url.rstrip("/").rsplit("/", 1)[-1]
    return name if name in TYPES else None


