"""The order functions' configuration, from their environment variables."""

from pydantic import BaseModel, ConfigDict, Field

from shop_common.identity import GroupName


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="TABLE_NAME", min_length=3, max_length=255)


class ApiSettings(Settings):
    """The order API's: the consumer acts for no caller, so it needs no admin group."""

    admin_group: GroupName = Field(alias="ADMIN_GROUP")
