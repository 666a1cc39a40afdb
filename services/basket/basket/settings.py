"""The basket functions' configuration, from their environment variables."""

from pydantic import BaseModel, ConfigDict, Field

from shop_common.identity import GroupName


class Settings(BaseModel):
    """The basket API's."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="TABLE_NAME", min_length=3, max_length=255)
    catalogue_table_name: str = Field(alias="CATALOGUE_TABLE_NAME", min_length=3, max_length=255)
    event_bus_name: str = Field(alias="EVENT_BUS_NAME", min_length=1, max_length=256)
    admin_group: GroupName = Field(alias="ADMIN_GROUP")


class ReplicaSettings(BaseModel):
    """The catalogue replica consumer's: it writes the replica, and knows no basket."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    catalogue_table_name: str = Field(alias="CATALOGUE_TABLE_NAME", min_length=3, max_length=255)
