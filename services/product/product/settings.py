"""The product functions' configuration, from their environment variables."""

from pydantic import BaseModel, ConfigDict, Field

from shop_common.identity import GroupName


class Settings(BaseModel):
    """The product API's."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="TABLE_NAME", min_length=3, max_length=255)
    admin_group: GroupName = Field(alias="ADMIN_GROUP")


class PublisherSettings(BaseModel):
    """The stream publisher's: it reads the table's stream (given by its event source mapping),
    never the table, and writes to the shared bus."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_bus_name: str = Field(alias="EVENT_BUS_NAME", min_length=1, max_length=256)
